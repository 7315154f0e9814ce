import { ConfigError, loadConfig } from '../../../server/src/config';

const base = { API_KEY: 'k'.repeat(20), DATA_DIR: '/tmp/sms-config-test' };

test('when nothing is set, then 100 live streams may be open per process, each with a heartbeat every 15 s', () => {
	expect(loadConfig(base)).toMatchObject({ liveMaxConnections: 100, liveHeartbeatMs: 15_000 });
	expect(
		loadConfig({ ...base, LIVE_MAX_CONNECTIONS: '0', LIVE_HEARTBEAT_SECONDS: '30' }),
	).toMatchObject({
		liveMaxConnections: 0,
		liveHeartbeatMs: 30_000,
	});
});

test.each([
	[{ LIVE_MAX_CONNECTIONS: '-1' }, /LIVE_MAX_CONNECTIONS must be a whole number/],
	[{ LIVE_MAX_CONNECTIONS: 'many' }, /LIVE_MAX_CONNECTIONS must be a whole number/],
	[{ LIVE_HEARTBEAT_SECONDS: '0' }, /LIVE_HEARTBEAT_SECONDS must be between 1 and 3600/],
])('when %o is set, then boot fails with a message naming it', (env, message) => {
	expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
	expect(() => loadConfig({ ...base, ...env })).toThrow(message);
});
