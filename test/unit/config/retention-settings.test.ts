import { ConfigError, loadConfig } from '../../../server/src/config';

const base = { API_KEY: 'k'.repeat(20), DATA_DIR: '/tmp/sms-config-test' };

describe('EVENTS_RETENTION_DAYS', () => {
	test.each([
		[undefined, null],
		['', null],
		['1', 1],
		['400', 400],
	])('when it is %p, then events are kept for %p days (null: for ever)', (raw, days) => {
		expect(loadConfig({ ...base, EVENTS_RETENTION_DAYS: raw }).eventsRetentionDays).toBe(days);
	});

	test.each(['0', '-5', '30d', '1.5', '36501'])('when it is %p, then boot fails with a message naming it', (raw) => {
		expect(() => loadConfig({ ...base, EVENTS_RETENTION_DAYS: raw })).toThrow(ConfigError);
		expect(() => loadConfig({ ...base, EVENTS_RETENTION_DAYS: raw })).toThrow(/EVENTS_RETENTION_DAYS/);
	});
});
