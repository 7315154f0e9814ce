import { smsLength } from '../../../nodes/shared/segments';

describe('SMS segment counting', () => {
	test.each([
		['when the text is empty, then it has no segment', '', 'GSM-7', 0, 0],
		[
			'when the text is plain GSM-7, then each character is one septet',
			'Hello world',
			'GSM-7',
			11,
			1,
		],
		[
			'when GSM-7 basic specials are used, then they count once',
			'@£$¥èéùìòÇØøÅåΔ_ÆæßÉÄÖÑÜ§¿äöñüà',
			'GSM-7',
			31,
			1,
		],
		['when extension characters are used, then each counts twice', '^{}[]~\\|€', 'GSM-7', 18, 1],
		[
			'when the text has exactly 160 septets, then it is one segment',
			'a'.repeat(160),
			'GSM-7',
			160,
			1,
		],
		[
			'when the text has 161 septets, then it is two segments of 153',
			'a'.repeat(161),
			'GSM-7',
			161,
			2,
		],
		['when the text has 306 septets, then it is two segments', 'a'.repeat(306), 'GSM-7', 306, 2],
		['when the text has 307 septets, then it is three segments', 'a'.repeat(307), 'GSM-7', 307, 3],
		[
			'when 159 characters plus one euro sign make 161 septets, then it is two segments',
			'a'.repeat(159) + '€',
			'GSM-7',
			161,
			2,
		],
		[
			'when an extension character would straddle segments, then it moves to the next one',
			'a'.repeat(152) + '€' + 'a'.repeat(152),
			'GSM-7',
			306,
			3,
		],
		[
			'when one character is outside GSM-7, then the whole text is UCS-2',
			'Hello ç world',
			'UCS-2',
			13,
			1,
		],
		[
			'when the text has exactly 70 UCS-2 units, then it is one segment',
			'ç'.repeat(70),
			'UCS-2',
			70,
			1,
		],
		[
			'when the text has 71 UCS-2 units, then it is two segments of 67',
			'ç'.repeat(71),
			'UCS-2',
			71,
			2,
		],
		[
			'when the text has 134 UCS-2 units, then it is two segments',
			'ç'.repeat(134),
			'UCS-2',
			134,
			2,
		],
		[
			'when the text has 135 UCS-2 units, then it is three segments',
			'ç'.repeat(135),
			'UCS-2',
			135,
			3,
		],
		[
			'when an emoji is used, then it is a surrogate pair counting two units',
			'Hi 😀',
			'UCS-2',
			5,
			1,
		],
		['when 35 emoji make 70 units, then it is one segment', '😀'.repeat(35), 'UCS-2', 70, 1],
		[
			'when a surrogate pair would straddle segments, then it moves to the next one',
			'ç'.repeat(66) + '😀' + 'ç'.repeat(66),
			'UCS-2',
			134,
			3,
		],
	])('%s', (_name, text, encoding, characters, segments) => {
		expect(smsLength(text)).toEqual({ encoding, characters, segments });
	});
});
