import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../server/src/config';

const base = () => ({
	API_KEY: 'k'.repeat(20),
	DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sms-redirect-config-')),
});

test('when nothing about the redirect is set, then the documented defaults apply and an IP salt is generated once', () => {
	const env = base();
	const config = loadConfig(env);
	expect(config.redirect).toMatchObject({
		clickCookieDays: 30,
		cookieDomain: undefined,
		countryHeader: undefined,
		storeRawIp: false,
		doNotTrack: 'ignore',
		linkCacheSize: 100_000,
		linkCacheTtlMs: 60_000,
		clickBatchSize: 1000,
		clickCommitTimeoutMs: 2000,
		loaderRetryMs: 1000,
		journalSegmentBytes: 64 * 1024 * 1024,
		loaderBatchSize: 5000,
	});
	expect(config.redirect.ipHashSalt).toBe(
		readFileSync(path.join(env.DATA_DIR, 'ip-hash-salt'), 'utf8').trim(),
	);
	expect(String(config.redirect.ipHashSalt).length).toBeGreaterThanOrEqual(32);
	expect(loadConfig(env).redirect.ipHashSalt).toBe(config.redirect.ipHashSalt);
});

test('when the redirect settings are given, then they are read as documented', () => {
	const config = loadConfig({
		...base(),
		CLICK_COOKIE_DAYS: '7',
		COOKIE_DOMAIN: '.Shop.example',
		COUNTRY_HEADER: 'CF-IPCountry',
		IP_HASH_SALT: 'shared-salt-of-all-instances',
		STORE_RAW_IP: 'true',
		DO_NOT_TRACK: 'anonymous',
		LINK_CACHE_TTL_SECONDS: '5',
	});
	expect(config.redirect).toMatchObject({
		clickCookieDays: 7,
		cookieDomain: 'Shop.example',
		countryHeader: 'cf-ipcountry',
		ipHashSalt: 'shared-salt-of-all-instances',
		storeRawIp: true,
		doNotTrack: 'anonymous',
		linkCacheTtlMs: 5000,
	});
});

test.each([
	[{ CLICK_COOKIE_DAYS: '-1' }, /CLICK_COOKIE_DAYS must be a whole number/],
	[{ COOKIE_DOMAIN: 'shop example' }, /COOKIE_DOMAIN must be a domain name/],
	[{ COUNTRY_HEADER: 'x y' }, /COUNTRY_HEADER must be a header name/],
	[{ IP_HASH_SALT: 'short' }, /IP_HASH_SALT must be at least 16/],
	[{ STORE_RAW_IP: 'maybe' }, /STORE_RAW_IP must be true or false/],
	[{ DO_NOT_TRACK: 'respect' }, /DO_NOT_TRACK must be ignore, anonymous or skip/],
	[{ CLICK_BATCH_SIZE: '0' }, /CLICK_BATCH_SIZE must be between/],
])('when %o is set, then boot fails with a message naming it', (env, message) => {
	expect(() => loadConfig({ ...base(), ...env })).toThrow(ConfigError);
	expect(() => loadConfig({ ...base(), ...env })).toThrow(message);
});
