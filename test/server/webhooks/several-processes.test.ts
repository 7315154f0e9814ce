import { closeAfterAll } from '../../support/close-after-all';
import { campaignWithLink, clicks, storeEvents } from '../../support/events';
import { waitFor } from '../../support/wait';
import { startTestServer, type TestServer } from '../../support/server';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

// The safety-net poll is a minute here: every prompt delivery below proves the NOTIFY wake-up.
const env = {
	WEBHOOK_RETRY_SCHEDULE: '100ms,100ms',
	WEBHOOK_TIMEOUT_MS: '2000',
	WEBHOOK_POLL_MS: '60000',
};

const track = closeAfterAll();

async function deliveredCount(server: TestServer): Promise<number> {
	return (
		await server.sql<{ n: number }>(
			`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`,
		)
	)[0].n;
}

function countById(receiver: Receiver): Map<string, number> {
	const counts = new Map<string, number>();
	for (const r of receiver.received) {
		const id = String(r.headers['webhook-id']);
		counts.set(id, (counts.get(id) ?? 0) + 1);
	}
	return counts;
}

test('when two servers dispatch from one database, then each event is delivered exactly once', async () => {
	const a = await track(startTestServer(env));
	const b = await track(startTestServer({ ...env, DATABASE_URL: a.databaseUrl }));
	const hook = await track(startReceiver(() => ({ status: 200 })));
	const { campaignId, link } = await campaignWithLink(a);
	await a.api('POST', '/api/v1/webhooks', { url: hook.url, events: ['click', 'view'], campaignId });

	// Events arrive through both processes, in small batches, as redirects would store them.
	const total = 400;
	for (let i = 0; i < total; i += 20) {
		const server: TestServer = (i / 20) % 2 === 0 ? a : b;
		await storeEvents(
			server,
			Array.from({ length: 20 }, () => ({ type: 'view' as const, campaignId, code: link.code })),
		);
	}
	await hook.waitFor(total);
	// Every result recorded (nothing left to send again), then no id may have arrived twice.
	await waitFor(() => deliveredCount(a), {
		until: (n) => n === total,
		what: 'every delivery to be delivered',
		timeoutMs: 30_000,
	});
	await Promise.all([a, b].map((server) => server.webhookDispatcher!.whenIdle()));
	const counts = countById(hook);
	expect(counts.size).toBe(total);
	expect([...counts.values()].every((n) => n === 1)).toBe(true);
});

test('when the server restarts in the middle of a backlog, then every delivery arrives and none is lost', async () => {
	// A slow receiver and little concurrency keep a backlog when the first server stops.
	const slow = { ...env, WEBHOOK_CONCURRENCY: '4' };
	const first = await startTestServer(slow);
	const hook = await track(startReceiver(() => ({ status: 200, delayMs: 10 })));
	const { campaignId, link } = await campaignWithLink(first);
	await first.api('POST', '/api/v1/webhooks', { url: hook.url, events: ['click'], campaignId });
	const total = 300;
	await storeEvents(first, clicks({ campaignId, code: link.code }, total, 'restart'));
	await hook.waitFor(20);
	await first.close();
	const sentBeforeRestart = hook.received.length;
	expect(sentBeforeRestart).toBeLessThan(total);

	const second = await track(startTestServer({ ...slow, DATABASE_URL: first.databaseUrl }));
	await hook.waitFor(total);
	await waitFor(() => deliveredCount(second), {
		until: (n) => n === total,
		what: 'every delivery to be delivered',
		timeoutMs: 30_000,
	});
	await second.webhookDispatcher!.whenIdle();
	expect(countById(hook).size).toBe(total);
	// A graceful stop finishes what it has in flight and records it: nothing is sent twice either.
	expect(hook.received).toHaveLength(total);
});

test('when the dispatcher is switched off, then that process sends nothing and another one does', async () => {
	const quiet = await track(startTestServer({ ...env, WEBHOOK_DISPATCHER: 'off' }));
	const hook = await track(startReceiver(() => ({ status: 200 })));
	const { campaignId, link } = await campaignWithLink(quiet);
	await quiet.api('POST', '/api/v1/webhooks', { url: hook.url, events: ['click'], campaignId });
	await storeEvents(quiet, [{ type: 'click', campaignId, code: link.code }]);
	expect(quiet.webhookDispatcher).toBeUndefined();
	expect(hook.received).toHaveLength(0);
	const other = await track(startTestServer({ ...env, DATABASE_URL: quiet.databaseUrl }));
	await hook.waitFor(1);
	await waitFor(() => deliveredCount(quiet), {
		until: (n) => n === 1,
		what: "the quiet webhook's delivery to be delivered",
		timeoutMs: 30_000,
	});
	await other.webhookDispatcher!.whenIdle();
	// One attempt in all: the one of the process that dispatches.
	expect(hook.received).toHaveLength(1);
	expect(await quiet.sql(`SELECT attempts FROM webhook_deliveries`)).toEqual([{ attempts: 1 }]);
});

test('when a server is killed in the middle of a backlog, then another one sends what it had claimed once the lease ends', async () => {
	const { spawnServer } = await import('../../support/spawn-server');
	// A short lease: the killed process's claims are free again after 3 s.
	const fast = {
		...env,
		WEBHOOK_TIMEOUT_MS: '500',
		WEBHOOK_CONCURRENCY: '4',
		WEBHOOK_LEASE_MS: '3000',
	};
	const quiet = await track(startTestServer({ ...fast, WEBHOOK_DISPATCHER: 'off' }));
	// Every answer takes 100 ms, so the killed process holds claims (sent or queued) when it dies.
	const hook = await track(startReceiver(() => ({ status: 200, delayMs: 100 })));
	const { campaignId, link } = await campaignWithLink(quiet);
	await quiet.api('POST', '/api/v1/webhooks', { url: hook.url, events: ['click'], campaignId });
	const total = 200;
	const child = await spawnServer({
		...fast,
		DATABASE_URL: quiet.databaseUrl,
		API_KEY: quiet.apiKey,
		WEBHOOK_CONCURRENCY: '2',
		LOG_LEVEL: 'warn',
	});
	await storeEvents(quiet, clicks({ campaignId, code: link.code }, total, 'killed'));
	await hook.waitFor(5);
	await child.stop('SIGKILL');
	const [{ claimed }] = await quiet.sql<{ claimed: number }>(
		`SELECT count(*)::int AS claimed FROM webhook_deliveries WHERE locked_until > now()`,
	);

	await track(startTestServer({ ...fast, DATABASE_URL: quiet.databaseUrl }));
	// What the killed process had in flight may arrive twice (at least once); nothing is missing.
	await waitFor(() => deliveredCount(quiet), {
		until: (n) => n === total,
		what: 'every delivery to be delivered',
		timeoutMs: 30_000,
	});
	expect(countById(hook).size).toBe(total);
	expect(claimed).toBeGreaterThan(0); // the kill really left claims behind
});

test('when a hanging receiver holds every slot, then claims that waited longer than a timeout are handed back and each is sent once', async () => {
	// 2 slots and a 300 ms timeout: claims queued behind the hanging sends go stale, are released
	// (their attempt not counted) and claimed again; none may be sent twice or lose its count.
	const server = await track(
		startTestServer({
			...env,
			WEBHOOK_CONCURRENCY: '2',
			WEBHOOK_SUBSCRIPTION_CONCURRENCY: '2',
			WEBHOOK_TIMEOUT_MS: '300',
			WEBHOOK_RETRY_SCHEDULE: '1h',
		}),
	);
	const hanging = await track(startReceiver(() => 'hang'));
	const { campaignId, link } = await campaignWithLink(server);
	await server.api('POST', '/api/v1/webhooks', { url: hanging.url, events: ['click'], campaignId });
	await storeEvents(server, clicks({ campaignId, code: link.code }, 40, 'hang'));
	await waitFor(() => Promise.resolve(hanging.received.length), {
		until: (n) => n === 40,
		what: 'all 40 to arrive',
		timeoutMs: 30_000,
	});
	// Every attempt timed out and was recorded (next one in an hour): nothing is left to send.
	const recorded = `SELECT count(*)::int AS n FROM webhook_deliveries WHERE last_error IS NOT NULL AND locked_until IS NULL`;
	await waitFor(async () => (await server.sql<{ n: number }>(recorded))[0].n, {
		until: (n) => n === 40,
		what: 'all 40 results to be recorded',
		timeoutMs: 30_000,
	});
	await server.webhookDispatcher!.whenIdle();
	const counts = [...countById(hanging).values()];
	expect(counts).toHaveLength(40);
	expect(counts.every((n) => n === 1)).toBe(true);
	const rows = await server.sql<{ attempts: number; status: string }>(
		`SELECT attempts, status FROM webhook_deliveries`,
	);
	expect(rows.every((r) => r.attempts === 1 && r.status === 'pending')).toBe(true);
});
