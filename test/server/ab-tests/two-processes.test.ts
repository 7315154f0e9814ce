import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedAbCampaign } from '../../support/ab-test-seed';
import { closeAfterAll } from '../../support/close-after-all';
import { connectSql } from '../../support/db';
import { startTestServer, testApiKey } from '../../support/server';
import { spawnServer, type SpawnedServer } from '../../support/spawn-server';
import { waitFor } from '../../support/wait';
import { startReceiver } from '../../support/webhook-receiver';

const track = closeAfterAll();
const tests = 40;

test('when two server processes check the rules of one database, then each test is decided once with one winner event and one webhook', async () => {
	// Campaigns, data and rules are set up with checking off, so both processes find every test
	// due at their first passes and race for each.
	const setup = await startTestServer({ AB_TEST_CHECK_INTERVAL_MS: '0' });
	const hook = await track(startReceiver());
	await setup.api('POST', '/api/v1/webhooks', { url: hook.url, events: ['winner'] });
	const ids: string[] = [];
	for (let i = 0; i < tests; i++) {
		const significant = i % 2 === 0;
		ids.push(
			await seedAbCampaign(
				setup,
				{ A: { sent: 200, clickers: significant ? 60 : 22 }, B: { sent: 200, clickers: 20 } },
				{
					name: `race ${i}`,
					abTestRule: significant
						? { metric: 'ctr', decide: 'whenMet', deadlineAfterHours: 24 }
						: {
								metric: 'ctr',
								decide: 'afterDuration',
								decideAfterHours: 0,
								deadlineAfterHours: 0,
								atDeadline: 'tie',
							},
				},
			),
		);
	}
	const { databaseUrl } = setup;
	await setup.close();
	const { sql: query, close } = connectSql(databaseUrl);
	track(Promise.resolve({ close }));

	const spawned: SpawnedServer[] = [];
	for (let i = 0; i < 2; i++) {
		spawned.push(
			await spawnServer({
				DATABASE_URL: databaseUrl,
				API_KEY: testApiKey,
				DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sms-tracking-ab-race-')),
				AB_TEST_CHECK_INTERVAL_MS: '20',
				WEBHOOK_RETRY_SCHEDULE: '100ms',
			}),
		);
	}
	track(
		Promise.resolve({ close: async () => void (await Promise.all(spawned.map((s) => s.stop()))) }),
	);

	await waitFor(
		async () =>
			(
				await query<{ n: number }>(
					'SELECT count(*)::int AS n FROM campaigns WHERE ab_test_decided_at IS NOT NULL',
				)
			)[0].n,
		{ what: 'every test to be decided', until: (n) => n === tests, timeoutMs: 30_000 },
	);
	await waitFor(
		async () =>
			(
				await query<{ n: number }>(
					`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`,
				)
			)[0].n,
		{ what: 'every winner webhook to be delivered', until: (n) => n === tests, timeoutMs: 30_000 },
	);

	const events = await query<{ campaign_id: string; variant: string | null }>(
		`SELECT campaign_id, variant FROM events WHERE type = 'winner' ORDER BY campaign_id`,
	);
	expect(events.map((e) => e.campaign_id)).toEqual([...ids].sort());
	const decided = await query<{ id: string; winner: string | null; ab_test_tie: boolean }>(
		'SELECT id, winner, ab_test_tie FROM campaigns ORDER BY id',
	);
	for (const c of decided) {
		const significant = ids.indexOf(c.id) % 2 === 0;
		expect(c).toMatchObject(
			significant ? { winner: 'A', ab_test_tie: false } : { winner: null, ab_test_tie: true },
		);
		expect(events.find((e) => e.campaign_id === c.id)!.variant).toBe(c.winner);
	}
	expect(
		(await query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_deliveries'))[0].n,
	).toBe(tests);
	const campaignsCalled = hook.received.map((r) => JSON.parse(r.body).campaignId as string);
	expect(new Set(campaignsCalled).size).toBe(tests);
	expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(tests);
	// Each process logs the tests it decided: together exactly one decision per test.
	const decisions = spawned.map(
		(s) =>
			s
				.output()
				.split('\n')
				.filter((line) => line.includes('A/B test decided')).length,
	);
	expect(decisions[0] + decisions[1]).toBe(tests);
	expect(hook.received).toHaveLength(tests);
}, 120_000);
