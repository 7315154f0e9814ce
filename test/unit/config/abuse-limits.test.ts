import { ConfigError, loadConfig } from '../../../server/src/config';

const base = { API_KEY: 'k'.repeat(20), DATA_DIR: '/tmp/sms-config-test' };

describe('TRUST_PROXY', () => {
	test.each([
		[undefined, false],
		['', false],
		['false', false],
		['0', false],
		['1', 1],
		['2', 2],
		['10.0.0.0/8', ['10.0.0.0/8']],
		['loopback, 192.0.2.1, 2001:db8::/32', ['loopback', '192.0.2.1', '2001:db8::/32']],
	])('when it is %p, then proxies are trusted as %p', (raw, trusted) => {
		expect(loadConfig({ ...base, TRUST_PROXY: raw }).trustProxy).toEqual(trusted);
	});

	test.each([
		['true', /TRUST_PROXY=true is not accepted/],
		['11', /at most 10 proxy hops/],
		['proxy.example', /TRUST_PROXY must be a number of proxy hops or/],
		['10.0.0.0/33', /TRUST_PROXY must be a number of proxy hops or/],
		['-1', /TRUST_PROXY must be a number of proxy hops or/],
	])('when it is %p, then boot fails with a message naming it', (raw, message) => {
		expect(() => loadConfig({ ...base, TRUST_PROXY: raw })).toThrow(ConfigError);
		expect(() => loadConfig({ ...base, TRUST_PROXY: raw })).toThrow(message);
	});
});

describe('conversion limits', () => {
	test('when nothing is set, then a click may have 10 conversions of at most 1,000,000 each', () => {
		expect(loadConfig({ ...base })).toMatchObject({
			conversionsPerClick: 10,
			conversionValueMax: 1_000_000,
		});
	});

	test('when they are set, then they are used; zero or fractions stop the boot', () => {
		expect(
			loadConfig({ ...base, CONVERSIONS_PER_CLICK: '50', CONVERSION_VALUE_MAX: '250000' }),
		).toMatchObject({ conversionsPerClick: 50, conversionValueMax: 250_000 });
		expect(() => loadConfig({ ...base, CONVERSIONS_PER_CLICK: '0' })).toThrow(
			/CONVERSIONS_PER_CLICK must be between 1/,
		);
		expect(() => loadConfig({ ...base, CONVERSION_VALUE_MAX: '99.5' })).toThrow(
			/CONVERSION_VALUE_MAX must be a whole number/,
		);
		expect(() => loadConfig({ ...base, CONVERSION_VALUE_MAX: '100000000000000' })).toThrow(
			/CONVERSION_VALUE_MAX must be between/,
		);
	});
});

describe('recording cap, pending conversions and database timeouts', () => {
	test('when nothing is set, then the documented defaults apply', () => {
		const config = loadConfig({ ...base });
		expect(config).toMatchObject({
			pendingConversionTtlSeconds: 600,
			pendingConversionsMax: 10_000,
			databaseStatementTimeoutMs: 120_000,
		});
		expect(config.redirect).toMatchObject({
			recordLimit: 30,
			lookupPoolSize: 4,
			lookupTimeoutMs: 2000,
		});
	});

	test('when they are set, then they are used; 0 turns off the recording cap and the statement timeout', () => {
		const config = loadConfig({
			...base,
			REDIRECT_RECORD_LIMIT: '0',
			PENDING_CONVERSION_TTL_SECONDS: '60',
			PENDING_CONVERSIONS_MAX: '500',
			DATABASE_STATEMENT_TIMEOUT_MS: '0',
			REDIRECT_POOL_SIZE: '2',
			REDIRECT_LOOKUP_TIMEOUT_MS: '500',
		});
		expect(config).toMatchObject({
			pendingConversionTtlSeconds: 60,
			pendingConversionsMax: 500,
			databaseStatementTimeoutMs: 0,
		});
		expect(config.redirect).toMatchObject({
			recordLimit: 0,
			lookupPoolSize: 2,
			lookupTimeoutMs: 500,
		});
	});

	test.each([
		['REDIRECT_RECORD_LIMIT', '-1', /REDIRECT_RECORD_LIMIT must be a whole number/],
		['PENDING_CONVERSION_TTL_SECONDS', '0', /PENDING_CONVERSION_TTL_SECONDS must be between 1/],
		['PENDING_CONVERSIONS_MAX', '0', /PENDING_CONVERSIONS_MAX must be between 1/],
		['REDIRECT_POOL_SIZE', '0', /REDIRECT_POOL_SIZE must be between 1/],
		['REDIRECT_LOOKUP_TIMEOUT_MS', '10', /REDIRECT_LOOKUP_TIMEOUT_MS must be between 100/],
	])('when %s is %p, then boot fails naming it', (name, raw, message) => {
		expect(() => loadConfig({ ...base, [name]: raw })).toThrow(message);
	});
});
