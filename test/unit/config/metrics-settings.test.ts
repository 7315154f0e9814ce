import { ConfigError, loadConfig } from '../../../server/src/config';

const base = { API_KEY: 'k'.repeat(20), DATA_DIR: '/tmp/sms-config-test' };

test('when nothing is set, then /metrics is served on the main port without a token', () => {
	const config = loadConfig(base);
	expect([config.metricsToken, config.metricsPort]).toEqual([undefined, undefined]);
});

test('when METRICS_TOKEN and METRICS_PORT are set, then they are read as given (0: any free port)', () => {
	expect(
		loadConfig({ ...base, METRICS_TOKEN: 't'.repeat(16), METRICS_PORT: '9464' }),
	).toMatchObject({
		metricsToken: 't'.repeat(16),
		metricsPort: 9464,
	});
	expect(loadConfig({ ...base, PORT: '0', METRICS_PORT: '0' }).metricsPort).toBe(0);
});

test.each([
	[{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be 16 to 200 characters/],
	[
		{ METRICS_TOKEN: 'has a space in it, sixteen+' },
		/METRICS_TOKEN must be 16 to 200 characters without spaces/,
	],
	[{ METRICS_PORT: '70000' }, /METRICS_PORT must be between 0 and 65535/],
	[{ METRICS_PORT: 'nine' }, /METRICS_PORT must be a whole number/],
	[{ PORT: '8080', METRICS_PORT: '8080' }, /METRICS_PORT must differ from PORT/],
])('when %o is set, then boot fails with a message naming it', (env, message) => {
	expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
	expect(() => loadConfig({ ...base, ...env })).toThrow(message);
});
