import { numberCell, textCell } from '../../../server/src/reports/csv';
import { parseCsv } from '../../support/csv';

test('when a text cell starts like a formula, then it gets a leading apostrophe so a spreadsheet keeps it text', () => {
	for (const start of ['=', '+', '-', '@', '\t', '\r']) {
		expect(textCell(`${start}SUM(A1)`).replace(/^"/, '')).toMatch(/^'/);
	}
	expect(textCell('+4915112345678')).toBe("'+4915112345678");
	expect(textCell('=HYPERLINK("http://x.example","go")')).toBe(`"'=HYPERLINK(""http://x.example"",""go"")"`);
});

test('when a text cell holds commas, quotes or line breaks, then it is quoted with doubled quotes and reads back the same', () => {
	const value = 'Say "hi", then\r\nleave';
	const line = `${textCell(value)},${textCell('plain')}\n`;
	expect(parseCsv(line)).toEqual([[value, 'plain']]);
});

test('when a cell is empty or null, then it is written as nothing', () => {
	expect(textCell(null)).toBe('');
	expect(textCell('')).toBe('');
	expect(numberCell(null)).toBe('');
});

test('when a number cell is a number, then it is written as it is, negative numbers too; anything else goes as safe text', () => {
	expect(numberCell(12)).toBe('12');
	expect(numberCell('-3.5000')).toBe('-3.5000');
	expect(numberCell(0.25)).toBe('0.25');
	expect(numberCell('-1+1')).toBe("'-1+1");
});
