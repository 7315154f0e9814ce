import { findLinks } from '../../../nodes/shared/links';
import { rewrite } from '../../../nodes/SmsTracking/helpers/rewrite';

const options = { omitHttps: false, keepOriginalIfLonger: false, hintLinkNotAtEnd: true };
const short = (code: string) => ({ code, shortUrl: `https://go.example/${code}` });

describe('rewriting a text with its short links', () => {
	test('when two links are replaced, then each takes its own short link at its own place', () => {
		const text = 'A https://a.example/x, then (https://b.example/y).';
		const result = rewrite(text, findLinks(text), [short('AAAAAAAA'), short('BBBBBBBB')], options);
		expect(result.text).toBe('A https://go.example/AAAAAAAA, then (https://go.example/BBBBBBBB).');
		expect(result.links.map((l) => l.url)).toEqual(['https://a.example/x', 'https://b.example/y']);
	});

	test('when keeping originals is needed, then the link that grows most is kept first and only as many as needed', () => {
		// 110 + 2 spaces + links of 12 and 22 characters = 146 septets; the 27-character short links
		// grow them by 15 and 5 (166: two segments). Keeping only the smaller one would still be 161.
		const text = `${'a'.repeat(110)} https://x.co https://b.example/1234`;
		expect(text.length).toBe(146);
		const result = rewrite(text, findLinks(text), [short('AAAAAAAA'), short('BBBBBBBB')], {
			...options,
			keepOriginalIfLonger: true,
		});
		expect(result.links.map((l) => l.shortened)).toEqual([false, true]);
		expect(result.after.segments).toBe(1);
		expect(result.text).toBe(`${'a'.repeat(110)} https://x.co https://go.example/BBBBBBBB`);
	});

	test('when the hint is off, then a link in the middle gives no warning', () => {
		const text = 'See https://a.example/x today';
		expect(rewrite(text, findLinks(text), [short('AAAAAAAA')], options).warnings).toHaveLength(1);
		expect(
			rewrite(text, findLinks(text), [short('AAAAAAAA')], { ...options, hintLinkNotAtEnd: false })
				.warnings,
		).toEqual([]);
	});

	test('when the text is UCS-2, then the counts before and after are in code units', () => {
		const text = '🎉 https://a.example/x';
		const result = rewrite(text, findLinks(text), [short('AAAAAAAA')], options);
		expect(result.before).toEqual({ encoding: 'UCS-2', characters: 22, segments: 1 });
		expect(result.after).toEqual({ encoding: 'UCS-2', characters: 30, segments: 1 });
	});
});
