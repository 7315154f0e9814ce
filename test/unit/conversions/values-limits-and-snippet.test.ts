import { readCookie } from '../../../server/src/conversions/cookies';
import { createRateLimiter } from '../../../server/src/shared/rate-limit';
import { trackingCode } from '../../../server/src/conversions/tracking-code';
import { parseCurrency, parseName, parseValue } from '../../../server/src/conversions/validate';
import { loadConfig } from '../../../server/src/config';

describe('conversion values', () => {
	test.each([
		[9.9, '9.9'],
		['9.90', '9.9'],
		[0, '0'],
		['0', '0'],
		[100, '100'],
		[0.1 + 0.2, '0.3'],
		[1.23456, '1.2346'],
		['12.5000', '12.5'],
		[99_999_999_999_999, '99999999999999'],
		[undefined, null],
		[null, null],
	])('when the value is %p, then %p is stored', (input, stored) => {
		expect(parseValue(input)).toBe(stored);
	});

	test.each([[-0.01], ['-1'], ['1e3'], ['9,90'], [''], ['abc'], [Number.NaN], [Number.POSITIVE_INFINITY], [true], [[1]], [{}], [1e15]])(
		'when the value is %p, then it is rejected',
		(input) => {
			expect(() => parseValue(input)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_value' }));
		},
	);
});

describe('currencies and names', () => {
	test('when a currency is a known ISO 4217 code in any case, then it is upper-cased; otherwise rejected', () => {
		expect(parseCurrency('eur')).toBe('EUR');
		expect(parseCurrency('JPY')).toBe('JPY');
		expect(parseCurrency(undefined)).toBeNull();
		for (const bad of ['EURO', 'E', 'QQQ', 12, '']) expect(() => parseCurrency(bad)).toThrow(expect.objectContaining({ code: 'invalid_currency' }));
	});

	test('when a name has surrounding spaces, then they are trimmed; empty, over 100 characters or with control characters is rejected', () => {
		expect(parseName('  signup ')).toBe('signup');
		expect(parseName('n'.repeat(100))).toHaveLength(100);
		for (const bad of ['', '   ', 'n'.repeat(101), 'a\tb', 42, ['a']]) expect(() => parseName(bad)).toThrow(expect.objectContaining({ code: 'invalid_name' }));
	});
});

describe('reading the sms_cid cookie', () => {
	test.each([
		['sms_cid=abc', 'abc'],
		['a=1; sms_cid=abc; b=2', 'abc'],
		['xsms_cid=no; sms_cid=yes', 'yes'],
		['sms_cid="quoted"', 'quoted'],
		['a=1', undefined],
		[undefined, undefined],
		['sms_cid=%E0%A4%A', undefined],
	])('when the header is %p, then the value is %p', (header, value) => {
		expect(readCookie(header, 'sms_cid')).toBe(value);
	});
});

describe('rate limiter', () => {
	test('when a client uses its budget, then it is refused until the window rolls over; others are not affected', () => {
		let now = 1_000_000;
		const limiter = createRateLimiter(2, 60_000, 100, () => now);
		expect([limiter.take('1.2.3.4'), limiter.take('1.2.3.4'), limiter.take('1.2.3.4')]).toEqual([true, true, false]);
		expect(limiter.take('5.6.7.8')).toBe(true);
		now += 30_000;
		expect(limiter.retryAfterSeconds('1.2.3.4')).toBe(30);
		expect(limiter.take('1.2.3.4')).toBe(false);
		now += 30_000;
		expect(limiter.take('1.2.3.4')).toBe(true);
	});

	test('when more distinct clients arrive than the limiter holds, then the least recently seen is forgotten and the active ones keep their own budgets', () => {
		const limiter = createRateLimiter(1, 60_000, 3, () => 0);
		for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) expect(limiter.take(ip)).toBe(true);
		expect(limiter.take('10.0.0.3')).toBe(false);
		// A flood from fresh addresses: each gets its own budget of 1, none is locked out by the others.
		const flood = Array.from({ length: 12 }, (_, i) => limiter.take(`10.1.0.${i}`));
		expect(flood.every(Boolean)).toBe(true);
		// The flood's addresses are still counted while they are among the most recent.
		expect(limiter.take('10.1.0.11')).toBe(false);
		// A visitor pushed out by the flood starts afresh instead of sharing an overflow bucket.
		expect(limiter.take('10.0.0.1')).toBe(true);
	});

	test('when requests come from many addresses of one IPv6 /64, then they share one budget; another /64 has its own', () => {
		const limiter = createRateLimiter(2, 60_000, 100, () => 0);
		expect(limiter.take('2001:db8:1:2::1')).toBe(true);
		expect(limiter.take('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(true);
		expect(limiter.take('2001:0db8:0001:0002:abcd::9')).toBe(false);
		expect(limiter.take('2001:db8:1:3::1')).toBe(true);
	});

	test('when an IPv4 client arrives as an IPv4-mapped IPv6 address, then it shares the budget of its IPv4 address', () => {
		const limiter = createRateLimiter(1, 60_000, 100, () => 0);
		expect(limiter.take('::ffff:192.0.2.7')).toBe(true);
		expect(limiter.take('192.0.2.7')).toBe(false);
	});
});

describe('tracking code', () => {
	test('when the example name holds HTML, then the snippet escapes it', () => {
		const code = trackingCode('https://go.shop.example/', 'abc123', { name: '</script><b>', value: '1', currency: 'EUR' });
		expect(code.scriptUrl).toBe('https://go.shop.example/t.js?v=abc123');
		expect(code.conversion).not.toContain('</script><b>');
		expect(code.conversion).toContain('"\\u003c/script>\\u003cb>"');
		expect(code.pixel).not.toContain('<b>');
	});

	test('when the click cookie lives other than 30 days, then the script tag tells t.js to keep the click id as long', () => {
		const example = { name: 'purchase', value: '1', currency: 'EUR' };
		expect(trackingCode('https://go.shop.example', 'v1', example, 90).script).toContain('<script src="https://go.shop.example/t.js?v=v1" data-cookie-days="90" async>');
		expect(trackingCode('https://go.shop.example', 'v1', example, 30).script).toContain('<script src="https://go.shop.example/t.js?v=v1" async>');
	});
});

describe('configuration', () => {
	test('when ALLOWED_ORIGINS lists origins, then they are normalised; paths or other schemes stop the boot', () => {
		expect(loadConfig({ API_KEY: 'k'.repeat(16), ALLOWED_ORIGINS: 'https://shop.example/, http://127.0.0.1:3000' }).allowedOrigins).toEqual([
			'https://shop.example',
			'http://127.0.0.1:3000',
		]);
		expect(loadConfig({ API_KEY: 'k'.repeat(16) }).allowedOrigins).toEqual([]);
		for (const bad of ['https://shop.example/landing', 'ftp://shop.example', 'shop.example', '*']) {
			expect(() => loadConfig({ API_KEY: 'k'.repeat(16), ALLOWED_ORIGINS: bad })).toThrow(/ALLOWED_ORIGINS/);
		}
		expect(loadConfig({ API_KEY: 'k'.repeat(16) }).collectRateLimit).toBe(60);
		expect(() => loadConfig({ API_KEY: 'k'.repeat(16), COLLECT_RATE_LIMIT: '0' })).toThrow(/COLLECT_RATE_LIMIT/);
	});
});
