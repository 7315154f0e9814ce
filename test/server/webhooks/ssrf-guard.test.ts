import { closeAfterAll } from '../../support/close-after-all';
import { campaignWithLink, storeEvents } from '../../support/events';
import { startFakeDns } from '../../support/fake-dns';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';
import { startReceiver } from '../../support/webhook-receiver';

// No test here sends anything beyond loopback: refused addresses are never connected to, and the
// addresses that are connected to (the receivers, 127.0.0.2) are all on this machine.
const fast = {
	WEBHOOK_RETRY_SCHEDULE: '50ms,50ms',
	WEBHOOK_TIMEOUT_MS: '1000',
	WEBHOOK_POLL_MS: '50',
};
const track = closeAfterAll();
let local: TestServer;
let remote: TestServer;
beforeAll(async () => {
	// The default: the server listens on 127.0.0.1, a local install, so loopback and private ranges are allowed.
	local = await track(startTestServer(fast));
	// A server that allows nothing beyond public addresses, as one on a public address would.
	remote = await track(startTestServer({ ...fast, WEBHOOK_ALLOWED_NETWORKS: 'none' }));
});

const subscriptionCount = async (server: TestServer) =>
	(await server.sql<{ n: number }>('SELECT count(*)::int AS n FROM webhook_subscriptions'))[0].n;

async function refusedAtOnce(server: TestServer, url: string) {
	const before = await subscriptionCount(server);
	const res = await server.api('POST', '/api/v1/webhooks', { url, events: ['click'] });
	expect([url, res.status, res.body.error?.code]).toEqual([url, 400, 'blocked_address']);
	expect(await subscriptionCount(server)).toBe(before);
}

describe('when a subscription names an address, it is refused at once', () => {
	test.each([
		['link-local IPv4 (the cloud metadata service)', 'http://169.254.169.254/latest/meta-data/'],
		['the metadata service written as a number', 'http://2852039166/'],
		['the metadata service as an IPv4-mapped IPv6 address', 'http://[::ffff:169.254.169.254]/'],
		['link-local IPv6', 'http://[fe80::1]/hook'],
		['AWS metadata over IPv6', 'http://[fd00:ec2::254]/'],
		['Alibaba Cloud metadata', 'http://100.100.100.200/'],
		['Azure wire server', 'http://168.63.129.16/'],
		['unspecified IPv4', 'http://0.0.0.0:8080/'],
		['unspecified IPv6', 'http://[::]:8080/'],
		['IPv4 multicast', 'http://224.0.0.1/'],
		['IPv6 multicast', 'http://[ff02::1]/'],
		['broadcast', 'http://255.255.255.255/'],
	])('%s, even on a local install', async (_name, url) => {
		await refusedAtOnce(local, url);
		await refusedAtOnce(remote, url);
	});

	test("the server's own port on its own address, even on a local install", async () => {
		await refusedAtOnce(local, `http://127.0.0.1:${local.port}/api/v1/campaigns`);
	});

	test.each([
		['loopback IPv4', 'http://127.0.0.1:5432/'],
		['loopback IPv6', 'http://[::1]:22/'],
		['10/8', 'http://10.0.0.1/'],
		['172.16/12', 'http://172.16.0.1/'],
		['192.168/16', 'http://192.168.1.1/'],
		['carrier-grade NAT', 'http://100.64.0.1/'],
		['IPv6 unique local', 'http://[fc00::1]/'],
		['benchmarking (reserved)', 'http://198.18.0.1/'],
		['NAT64 around the metadata address', 'http://[64:ff9b::a9fe:a9fe]/'],
	])('%s, on a server not installed locally', async (_name, url) => {
		await refusedAtOnce(remote, url);
	});
});

test('when a private network is listed in WEBHOOK_ALLOWED_NETWORKS, then it is accepted, and link-local still is not', async () => {
	const listed = await track(startTestServer({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8' }));
	const res = await listed.api('POST', '/api/v1/webhooks', {
		url: 'http://10.1.2.3/hook',
		events: ['click'],
	});
	expect(res.status).toBe(201);
	await listed.api('DELETE', `/api/v1/webhooks/${res.body.id}`);
	await refusedAtOnce(listed, 'http://169.254.169.254/');
	await refusedAtOnce(listed, 'http://192.168.1.1/');
});

/** Subscribes `url` to a new campaign's clicks, stores one click and waits until the delivery has failed for good. */
async function deliverOnce(server: TestServer, url: string) {
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await server.api('POST', '/api/v1/webhooks', { url, events: ['click'], campaignId });
	expect(sub.status).toBe(201);
	await storeEvents(server, [{ type: 'click', campaignId, code: link.code }]);
	const [delivery] = await waitFor(
		async () =>
			(await server.api('GET', `/api/v1/webhooks/${sub.body.id}/deliveries`)).body.deliveries,
		{
			until: (d: any[]) => d[0]?.status !== undefined && d[0].status !== 'pending',
			what: 'the delivery to be settled',
		},
	);
	return delivery as { status: string; lastError: string | null; lastStatus: number | null };
}

test('when a host name resolves to a refused address, then the connection is refused when it is made, with a generic error, and nothing arrives', async () => {
	const hook = await track(startReceiver());
	const delivery = await deliverOnce(remote, `http://localhost:${hook.port}/hook`);
	expect(delivery).toMatchObject({ status: 'failed', lastStatus: null });
	expect(delivery.lastError).toMatch(/^blocked_address: the address is not allowed for webhooks/);
	expect(delivery.lastError).not.toMatch(/127\.0\.0\.1|localhost|ECONN/);
	expect(hook.received).toHaveLength(0);
});

test("when a host name leads to the server's own port on a local install, then it is refused, while a receiver beside it gets its delivery", async () => {
	const own = await deliverOnce(local, `http://localhost:${local.port}/api/v1/campaigns`);
	expect(own.lastError).toMatch(/^blocked_address/);
	const hook = await track(startReceiver(() => ({ status: 204 })));
	const beside = await deliverOnce(local, `http://localhost:${hook.port}/hook`);
	expect(beside.status).toBe('delivered');
	expect(hook.received).toHaveLength(1);
});

describe('DNS rebinding', () => {
	// 127.0.0.2, listed, stands in for a public address: it passes the guard and is still on this
	// machine, so nothing leaves it even if the guard were broken. Nothing listens there.
	const allowed = '127.0.0.2';

	test('when a name resolves first to an allowed address and then to 127.0.0.1, then no attempt reaches 127.0.0.1', async () => {
		const dns = await track(startFakeDns((n) => (n === 0 ? [allowed] : ['127.0.0.1'])));
		const server = await track(
			startTestServer({
				...fast,
				WEBHOOK_ALLOWED_NETWORKS: `${allowed}/32`,
				WEBHOOK_DNS_SERVERS: dns.server,
			}),
		);
		const hook = await track(startReceiver());
		const delivery = await deliverOnce(server, `http://rebind.test:${hook.port}/hook`);
		// First attempt: 127.0.0.2, where nothing listens; the next ones: 127.0.0.1, refused before connecting.
		expect(delivery.status).toBe('failed');
		expect(delivery.lastError).toMatch(/^blocked_address/);
		expect(dns.queries.length).toBeGreaterThanOrEqual(2);
		expect(hook.received).toHaveLength(0);
	});

	test('when one answer lists an allowed address first and 127.0.0.1 next, then the connection is refused', async () => {
		const dns = await track(startFakeDns(() => [allowed, '127.0.0.1']));
		const server = await track(
			startTestServer({
				...fast,
				WEBHOOK_ALLOWED_NETWORKS: `${allowed}/32`,
				WEBHOOK_DNS_SERVERS: dns.server,
			}),
		);
		const hook = await track(startReceiver());
		const delivery = await deliverOnce(server, `http://rebind.test:${hook.port}/hook`);
		expect(delivery.lastError).toMatch(/^blocked_address/);
		expect(dns.queries).toContain('rebind.test');
		expect(hook.received).toHaveLength(0);
	});
});
