import { ConfigError, loadConfig } from '../../../server/src/config';

const base = { API_KEY: 'k'.repeat(20), DATA_DIR: '/tmp/sms-config-test' };

test.each([
	['on 127.0.0.1 (a local install)', { HOST: '127.0.0.1' }, true],
	['on localhost', { HOST: 'localhost' }, true],
	['on ::1', { HOST: '::1' }, true],
	['on every address', { HOST: '0.0.0.0' }, false],
	['on a private address', { HOST: '10.0.0.5' }, false],
	[
		'on 127.0.0.1 with WEBHOOK_ALLOWED_NETWORKS=none',
		{ HOST: '127.0.0.1', WEBHOOK_ALLOWED_NETWORKS: 'none' },
		false,
	],
])(
	'when the server listens %s, then webhooks to loopback and private networks allowed without listing: %s',
	(_name, env, allowed) => {
		expect(loadConfig({ ...base, ...env }).webhookAllowLocal).toBe(allowed);
	},
);

test('when networks and hosts are listed, then they are kept and nothing else local is allowed', () => {
	expect(
		loadConfig({
			...base,
			WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8, fd00::/8,192.168.1.7,n8n.internal',
		}),
	).toMatchObject({
		webhookAllowLocal: false,
		webhookAllowedNetworks: ['10.0.0.0/8', 'fd00::/8', '192.168.1.7', 'n8n.internal'],
	});
});

test.each([
	[{ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' }, /WEBHOOK_ALLOWED_NETWORKS must list/],
	[{ WEBHOOK_ALLOWED_NETWORKS: 'http://n8n' }, /WEBHOOK_ALLOWED_NETWORKS must list/],
	[{ WEBHOOK_DNS_SERVERS: 'dns.example' }, /WEBHOOK_DNS_SERVERS must list/],
	[{ WEBHOOK_SECRET_OVERLAP_HOURS: '200' }, /WEBHOOK_SECRET_OVERLAP_HOURS must not exceed/],
])('when %p is set, then the boot stops naming the setting', (env, message) => {
	expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
	expect(() => loadConfig({ ...base, ...env })).toThrow(message);
});

test('when DNS servers are given, then they are kept as written (with ports)', () => {
	expect(
		loadConfig({ ...base, WEBHOOK_DNS_SERVERS: '127.0.0.1:5353,[::1]:53,10.0.0.2' })
			.webhookDnsServers,
	).toEqual(['127.0.0.1:5353', '[::1]:53', '10.0.0.2']);
});
