import { appendParams, utmParams } from '../../../server/src/redirect/target-url';
import { createCodeMatcher } from '../../../server/src/redirect/paths';

describe('appendParams', () => {
	test.each([
		['no query', 'https://shop.example/sale', [['a', '1']], 'https://shop.example/sale?a=1'],
		[
			'an existing query',
			'https://shop.example/sale?x=1',
			[['a', '1']],
			'https://shop.example/sale?x=1&a=1',
		],
		[
			'a fragment',
			'https://shop.example/sale?x=1#top',
			[['a', '1']],
			'https://shop.example/sale?x=1&a=1#top',
		],
		['a trailing ?', 'https://shop.example/sale?', [['a', '1']], 'https://shop.example/sale?a=1'],
		[
			'the key already present',
			'https://shop.example/?utm_source=news',
			[
				['utm_source', 'sms'],
				['utm_medium', 'sms'],
			],
			'https://shop.example/?utm_source=news&utm_medium=sms',
		],
		[
			'odd encoding kept as is',
			'https://shop.example/?q=a%20b&r=c+d',
			[['a', 'x y']],
			'https://shop.example/?q=a%20b&r=c+d&a=x%20y',
		],
		['nothing to add', 'https://shop.example/', [], 'https://shop.example/'],
	])(
		'when the destination has %s, then the parameters are merged without touching it',
		(_name, url, params, expected) => {
			expect(appendParams(url, params as Array<[string, string]>)).toBe(expected);
		},
	);

	test('when a key is to be replaced, then the old value goes and the new one is appended', () => {
		expect(
			appendParams('https://shop.example/?sms_cid=old&x=1#f', [['sms_cid', 'new']], ['sms_cid']),
		).toBe('https://shop.example/?x=1&sms_cid=new#f');
		expect(
			appendParams('https://shop.example/?sms_cid=old', [['sms_cid', 'new']], ['sms_cid']),
		).toBe('https://shop.example/?sms_cid=new');
	});

	test('when the campaign has UTM settings, then they become utm_* parameters in the usual order', () => {
		expect(utmParams({ campaign: 'bf', source: 'sms', medium: 'text' })).toEqual([
			['utm_source', 'sms'],
			['utm_medium', 'text'],
			['utm_campaign', 'bf'],
		]);
		expect(utmParams(null)).toEqual([]);
	});
});

describe('code matcher', () => {
	test.each([
		['GET', '/Ab3dE7xQ', 'Ab3dE7xQ'],
		['HEAD', '/Ab3dE7xQ', 'Ab3dE7xQ'],
		['GET', '/Ab3dE7xQ?ref=x', 'Ab3dE7xQ'],
		['POST', '/Ab3dE7xQ', undefined],
		['GET', '/healthz', undefined],
		['GET', '/api/v1/campaigns', undefined],
		['GET', '/t.js?v=1', undefined],
		['GET', '/dashboard/', undefined],
	])('when %s %s arrives with 8-character codes, then the code is %s', (method, url, code) => {
		expect(createCodeMatcher(8)(method, url)).toBe(code);
	});

	test.each([
		['a closing parenthesis', '/Ab3dE7xQ)'],
		['a full stop', '/Ab3dE7xQ.'],
		['a comma', '/Ab3dE7xQ,'],
		['an exclamation mark', '/Ab3dE7xQ!'],
		['a semicolon', '/Ab3dE7xQ;'],
		['a parenthesis and a full stop', '/Ab3dE7xQ).'],
		['several marks', '/Ab3dE7xQ!!;,.)'],
		['marks and a query string', '/Ab3dE7xQ).?ref=x'],
	])('when a code is followed by %s (%s), then it is the code itself', (_name, url) => {
		expect(createCodeMatcher(8)('GET', url)).toBe('Ab3dE7xQ');
	});

	test.each([
		['a code that ends in a digit, with a full stop', '/Ab3dE7x9.', 'Ab3dE7x9'],
		['a code of one letter repeated', '/QQQQQQQQ)', 'QQQQQQQQ'],
	])('when %s arrives (%s), then only the punctuation is dropped', (_name, url, code) => {
		expect(createCodeMatcher(8)('GET', url)).toBe(code);
	});

	test.each([
		['a truncated code', '/Ab3dE7x'],
		['a code one character too long', '/Ab3dE7xQZ'],
		['a code with a hyphen', '/Ab3dE7x-'],
		['a code and a mark other than the dropped ones', '/Ab3dE7xQ-'],
		['punctuation inside the code', '/Ab3d.E7xQ'],
		['a code with a trailing slash', '/Ab3dE7xQ/'],
		['a path below a non-route', '/Ab3dE7xQ/more'],
		['the root', '/'],
		['a stray file', '/favicon.ico'],
		['only punctuation', '/).'],
	])(
		'when %s arrives (%s), then the redirect answers it as an unknown code (null)',
		(_name, url) => {
			expect(createCodeMatcher(8)('GET', url)).toBeNull();
		},
	);

	test('when a reserved path has the length of a code, then it is not a redirect', () => {
		expect(createCodeMatcher(9)('GET', '/dashboard')).toBeUndefined();
		expect(createCodeMatcher(7)('GET', '/healthz')).toBeUndefined();
		expect(createCodeMatcher(6)('GET', '/readyz')).toBeUndefined();
		expect(createCodeMatcher(3)('GET', '/api')).toBeUndefined();
		expect(createCodeMatcher(7)('GET', '/collect')).toBeUndefined();
		expect(createCodeMatcher(9)('GET', '/dashboarD')).toBe('dashboarD');
	});
});
