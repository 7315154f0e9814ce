import { ConfigError, loadConfig } from '../../../server/src/config';

const base = { API_KEY: 'k'.repeat(20), DATA_DIR: '/tmp/sms-config-test' };

test('when nothing is set, then one webhook may use half the slots and a claim is leased for 30 s', () => {
	expect(loadConfig(base)).toMatchObject({
		webhookConcurrency: 64,
		webhookSubscriptionConcurrency: 32,
		webhookLeaseMs: 30_000,
	});
	expect(loadConfig({ ...base, WEBHOOK_CONCURRENCY: '5' }).webhookSubscriptionConcurrency).toBe(3);
	expect(loadConfig({ ...base, WEBHOOK_CONCURRENCY: '1' }).webhookSubscriptionConcurrency).toBe(1);
});

test.each([
	[
		{ WEBHOOK_CONCURRENCY: '8', WEBHOOK_SUBSCRIPTION_CONCURRENCY: '9' },
		/WEBHOOK_SUBSCRIPTION_CONCURRENCY must be between 1 and 8/,
	],
	[
		{ WEBHOOK_SUBSCRIPTION_CONCURRENCY: '0' },
		/WEBHOOK_SUBSCRIPTION_CONCURRENCY must be between 1 and 64/,
	],
	[{ WEBHOOK_LEASE_MS: '500' }, /WEBHOOK_LEASE_MS must be between 1000 and 600000/],
])('when %o is set, then boot fails with a message naming it', (env, message) => {
	expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
	expect(() => loadConfig({ ...base, ...env })).toThrow(message);
});
