import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../server/src/config';

const base = { API_KEY: 'k'.repeat(20), DATA_DIR: '/tmp/sms-config-test' };

test('when nothing is set, then the documented defaults apply', () => {
	const config = loadConfig({ ...base });
	expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', databaseUrl: undefined, codeLength: 8, publicBaseUrl: undefined });
});

test.each([
	[{ PORT: '70000' }, /PORT must be between/],
	[{ PORT: 'abc' }, /PORT must be a whole number/],
	[{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
	[{ PUBLIC_BASE_URL: 'ftp://go.example' }, /PUBLIC_BASE_URL must use http or https/],
	[{ FALLBACK_URL: 'not a url' }, /FALLBACK_URL must be an absolute/],
	[{ API_KEY: 'short' }, /API_KEY must be at least 16/],
	[{ CODE_LENGTH: '2' }, /CODE_LENGTH must be between 3 and 32/],
	[{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
	[{ DEFAULT_CALLING_CODE: 'Germany' }, /DEFAULT_CALLING_CODE must be/],
	[{ DEFAULT_CALLING_CODE: '1234' }, /DEFAULT_CALLING_CODE must be/],
])('when %o is set, then boot fails with a message naming it', (env, message) => {
	expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
	expect(() => loadConfig({ ...base, ...env })).toThrow(message);
});

test.each([
	['49', '49'],
	['+49', '49'],
	['DE', '49'],
	['us', '1'],
	[' AT ', '43'],
])('when DEFAULT_CALLING_CODE is %s (a calling code or an ISO country code, as the node takes it), then national numbers get %s', (value, code) => {
	expect(loadConfig({ ...base, DEFAULT_CALLING_CODE: value }).defaultCallingCode).toBe(code);
});

test('when PUBLIC_BASE_URL has a trailing slash, then short links do not get a double slash', () => {
	expect(loadConfig({ ...base, PUBLIC_BASE_URL: 'https://go.shop.example/' }).publicBaseUrl).toBe('https://go.shop.example');
});

describe('the generated API key and salt', () => {
	const fresh = () => mkdtempSync(path.join(tmpdir(), 'sms-config-keys-'));

	test('when no API_KEY is set, then the first start generates the key and says so; later starts reuse it without creating', () => {
		const dataDir = fresh();
		const first = loadConfig({ DATA_DIR: dataDir });
		expect(first).toMatchObject({ apiKeySource: 'file', apiKeyCreated: true });
		const second = loadConfig({ DATA_DIR: dataDir });
		expect(second).toMatchObject({ apiKeySource: 'file', apiKeyCreated: false, apiKeys: first.apiKeys });
		expect(loadConfig({ ...base }).apiKeyCreated).toBe(false);
	});

	test('when the key or salt file is readable by others, then boot fails naming the file and the fix', () => {
		for (const name of ['api-key', 'ip-hash-salt']) {
			const dataDir = fresh();
			loadConfig({ DATA_DIR: dataDir });
			chmodSync(path.join(dataDir, name), 0o644);
			expect(() => loadConfig({ DATA_DIR: dataDir })).toThrow(ConfigError);
			expect(() => loadConfig({ DATA_DIR: dataDir })).toThrow(`chmod 600 ${path.join(dataDir, name)}`);
		}
	});
});
