import { findLinks, isAtEnd } from '../../../nodes/shared/links';

const urls = (text: string, bareWww = false) => findLinks(text, { bareWww }).map((l) => l.text);

describe('link finding', () => {
	test.each([
		[
			'when a link is at the very end, then it is found whole',
			'Sale: https://shop.example/sale',
			['https://shop.example/sale'],
		],
		[
			'when a sentence ends after the link, then the full stop is left out',
			'Go to https://shop.example/sale.',
			['https://shop.example/sale'],
		],
		[
			'when several punctuation marks follow, then all are left out',
			'Really? https://a.example/x?!...',
			['https://a.example/x'],
		],
		[
			'when the link is in parentheses, then the closing one is left out',
			'(see https://a.example/page)',
			['https://a.example/page'],
		],
		[
			'when the link contains balanced parentheses, then they are kept',
			'wiki https://en.example/wiki/Foo_(bar) now',
			['https://en.example/wiki/Foo_(bar)'],
		],
		[
			'when balanced parentheses are followed by a bracket and a stop, then only those are cut',
			'(https://en.example/a_(b)).',
			['https://en.example/a_(b)'],
		],
		[
			'when a link has a query and fragment, then they are kept',
			'x https://a.example/p?q=1&r=2#top y',
			['https://a.example/p?q=1&r=2#top'],
		],
		[
			'when a comma follows, then it is left out',
			'https://a.example/1, https://b.example/2',
			['https://a.example/1', 'https://b.example/2'],
		],
		[
			'when the scheme is upper case, then it is found',
			'HTTPS://A.EXAMPLE/X',
			['HTTPS://A.EXAMPLE/X'],
		],
		['when http is used, then it is found', 'http://a.example', ['http://a.example']],
		[
			'when the link is in quotes, then the quotes are left out',
			'Click "https://a.example/x"',
			['https://a.example/x'],
		],
		[
			'when a bare www link is given and not enabled, then it is not found',
			'visit www.shop.example today',
			[],
		],
		['when ftp is used, then it is not a link', 'ftp://files.example/x', []],
		['when a scheme has no host, then it is not a link', 'https://', []],
	])('%s', (_name, text, expected) => {
		expect(urls(text)).toEqual(expected);
	});

	test('when bare www links are enabled, then they are found and get https://', () => {
		const links = findLinks('Visit www.shop.example/sale. Or mail info@www.shop.example', {
			bareWww: true,
		});
		expect(links.map((l) => [l.text, l.url])).toEqual([
			['www.shop.example/sale', 'https://www.shop.example/sale'],
		]);
	});

	test('when a link is found, then its destination is normalised like the server does', () => {
		expect(findLinks('HTTPS://Shop.Example')[0].url).toBe('https://shop.example/');
	});

	test('when a link is found, then its position in the text is exact', () => {
		const text = 'A (https://a.example/x) B';
		const [link] = findLinks(text);
		expect(text.slice(link.start, link.end)).toBe('https://a.example/x');
	});

	test('when only punctuation follows a link, then it is at the end; otherwise not', () => {
		const text = 'Sale https://a.example/x today! https://b.example/y.';
		const [first, second] = findLinks(text);
		expect(isAtEnd(text, first)).toBe(false);
		expect(isAtEnd(text, second)).toBe(true);
	});
});
