import { closeAfterAll } from '../../support/close-after-all';
import { campaignWithLink, clicks, storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

const track = closeAfterAll();

async function subscribe(server: TestServer, receiver: Receiver) {
	const { campaignId, link } = await campaignWithLink(server);
	const res = await server.api('POST', '/api/v1/webhooks', {
		url: receiver.url,
		events: ['click'],
		campaignId,
	});
	return { subscriptionId: res.body.id as string, campaignId, code: link.code };
}

test('when the receiver takes 30 s to answer and the lease is 3 s, then each delivery is sent once: its claim is renewed while the request is in flight', async () => {
	// Without renewal the claim would run out after 3 s and the delivery be claimed and sent again
	// while the first request is still waiting for its answer.
	const server = await track(
		startTestServer({
			WEBHOOK_TIMEOUT_MS: '45000',
			WEBHOOK_LEASE_MS: '3000',
			WEBHOOK_RETRY_SCHEDULE: '100ms',
			WEBHOOK_POLL_MS: '50',
		}),
	);
	const slow = await track(startReceiver(() => ({ status: 200, delayMs: 30_000 })));
	const sub = await subscribe(server, slow);
	await storeEvents(server, clicks(sub, 3, 'slow'));
	await slow.waitFor(3);
	// Until all three are delivered, or one is sent a second time.
	const delivered = `SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`;
	const progress = async () => ({
		delivered: (await server.sql<{ n: number }>(delivered))[0].n,
		sent: slow.received.length,
	});
	await waitFor(progress, {
		until: ({ delivered, sent }) => delivered === 3 || sent > 3,
		what: 'all three delivered, or one sent twice',
		timeoutMs: 60_000,
		intervalMs: 100,
	});
	await server.webhookDispatcher!.whenIdle();
	const ids = slow.received.map((r) => r.headers['webhook-id']);
	expect(ids).toHaveLength(3);
	expect(new Set(ids).size).toBe(3);
	const rows = await server.sql<{ attempts: number }>(`SELECT attempts FROM webhook_deliveries`);
	expect(rows.map((r) => r.attempts)).toEqual([1, 1, 1]);
}, 120_000);

test('when one receiver hangs, then another subscription of the same process keeps getting its deliveries', async () => {
	// 4 slots; one subscription may hold at most 2 of them (WEBHOOK_SUBSCRIPTION_CONCURRENCY
	// defaults to half), so the hanging receiver cannot take them all.
	const server = await track(
		startTestServer({
			WEBHOOK_CONCURRENCY: '4',
			WEBHOOK_TIMEOUT_MS: '20000',
			WEBHOOK_RETRY_SCHEDULE: '1h',
			WEBHOOK_POLL_MS: '50',
		}),
	);
	const hanging = await startReceiver(() => 'hang');
	const fast = await track(startReceiver(() => ({ status: 200 })));
	const stuck = await subscribe(server, hanging);
	const flowing = await subscribe(server, fast);

	await storeEvents(server, clicks(stuck, 10, 'stuck'));
	await hanging.waitFor(2);
	await storeEvents(server, clicks(flowing, 10, 'flowing'));
	await fast.waitFor(10, 10_000);
	const byStatus = `SELECT subscription_id, status, count(*)::int AS n FROM webhook_deliveries GROUP BY 1, 2 ORDER BY 1, 2`;
	await waitFor(
		() => server.sql<{ subscription_id: string; status: string; n: number }>(byStatus),
		{
			until: (rows) =>
				rows.some(
					(r) =>
						r.subscription_id === flowing.subscriptionId && r.status === 'delivered' && r.n === 10,
				),
			what: "the flowing subscription's 10 deliveries to be delivered",
			timeoutMs: 30_000,
			intervalMs: 100,
		},
	);
	// All this while the hanging receiver's first requests are still open, and no more were sent to it.
	expect(hanging.received).toHaveLength(2);
	const stuckRows = await server.sql<{ status: string }>(
		`SELECT status FROM webhook_deliveries WHERE subscription_id = $1`,
		[stuck.subscriptionId],
	);
	expect(stuckRows.every((r) => r.status === 'pending')).toBe(true);
	await hanging.close();
}, 60_000);
