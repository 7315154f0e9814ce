import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { parseExposition, type Exposition } from '../../support/prometheus';
import { request, startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { userAgents } from '../../support/user-agents';
import { waitFor } from '../../support/wait';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

async function scrape(server: TestServer): Promise<Exposition> {
	const res = await request<string>(`${server.url}/metrics`);
	expect(res.status).toBe(200);
	return parseExposition(res.body);
}

const redirects = (m: Exposition, outcome: string) =>
	m.value('sms_tracking_redirects_total', { outcome });

describe('the exposition', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer({ WEBHOOK_DISPATCHER: 'off' });
	});
	afterAll(() => server.close());

	test('when /metrics is scraped, then it answers Prometheus text that parses, with every series the docs list', async () => {
		const res = await request<string>(`${server.url}/metrics`);
		expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const m = parseExposition(res.body);
		expect(
			Object.fromEntries([...m.types].filter(([name]) => name.startsWith('sms_tracking_'))),
		).toEqual({
			sms_tracking_redirects_total: 'counter',
			sms_tracking_redirect_duration_seconds: 'histogram',
			sms_tracking_events_unrecorded_total: 'counter',
			sms_tracking_webhook_deliveries_total: 'counter',
			sms_tracking_webhook_dispatch_duration_seconds: 'histogram',
			sms_tracking_webhook_outbox_pending: 'gauge',
			sms_tracking_webhook_outbox_failed: 'gauge',
			sms_tracking_stats_fold_lag_seconds: 'gauge',
			sms_tracking_database_gauges_age_seconds: 'gauge',
			sms_tracking_db_pool_in_use: 'gauge',
			sms_tracking_db_pool_waiting: 'gauge',
			sms_tracking_journal_pending_bytes: 'gauge',
			sms_tracking_journal_lag_seconds: 'gauge',
			sms_tracking_journal_rows_loaded_total: 'counter',
			sms_tracking_journal_rows_rejected_total: 'counter',
		});
		// Process metrics (collectDefaultMetrics)
		expect(m.value('process_resident_memory_bytes')).toBeGreaterThan(0);
		expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
		// Every outcome is there from the start, at 0, so a rate() needs no first hit
		expect(
			m.samples
				.filter((s) => s.name === 'sms_tracking_redirects_total')
				.map((s) => s.labels.outcome)
				.sort(),
		).toEqual(['bot', 'capped', 'click', 'expired', 'unavailable', 'unknown', 'untracked', 'view']);
		expect(m.value('sms_tracking_db_pool_in_use', { pool: 'main' })).toBeGreaterThanOrEqual(0);
		// a gauge of the moment: the background folder, dispatcher and salt keeper share the pool
		expect(m.value('sms_tracking_db_pool_waiting', { pool: 'main' })).toBeGreaterThanOrEqual(0);
	});

	test('when short links are hit, then the redirect counter moves by outcome and the latency histogram counts each hit', async () => {
		const before = await scrape(server);
		const { codes } = await createCampaignWithLinks(server, {}, [
			{ recipient: '+4915112345678', urls: ['https://shop.example/a', 'https://shop.example/b'] },
		]);
		await server.sql(`UPDATE links SET expires_at = now() - interval '1 minute' WHERE code = $1`, [
			codes[1],
		]);
		for (let i = 0; i < 3; i++)
			expect((await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid })).status).toBe(
				302,
			);
		expect(
			(await hit(`${server.url}/${codes[0]}`, { userAgent: userAgents.whatsAppAndroid })).status,
		).toBe(302);
		expect((await hit(`${server.url}/${codes[0]}`, { userAgent: userAgents.curl })).status).toBe(
			302,
		);
		expect((await hit(`${server.url}/${codes[1]}`, { userAgent: chromeOnAndroid })).status).toBe(
			404,
		);
		expect(
			(
				await hit(`${server.url}/${'Zz9'.repeat(3).slice(0, codes[0].length)}`, {
					userAgent: chromeOnAndroid,
				})
			).status,
		).toBe(404);

		const after = await scrape(server);
		const moved = (outcome: string) => redirects(after, outcome)! - redirects(before, outcome)!;
		expect(['click', 'view', 'bot', 'expired', 'unknown', 'capped'].map(moved)).toEqual([
			3, 1, 1, 1, 1, 0,
		]);
		const count = (m: Exposition) => m.value('sms_tracking_redirect_duration_seconds_count')!;
		expect(count(after) - count(before)).toBe(7);
		expect(after.value('sms_tracking_redirect_duration_seconds_sum')).toBeGreaterThan(0);
	});

	test('when deliveries wait for the dispatcher, then the outbox pending gauge counts them', async () => {
		const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
			{ recipient: '+4915112345679', urls: ['https://shop.example/c'] },
		]);
		const sub = await server.api('POST', '/api/v1/webhooks', {
			url: 'http://127.0.0.1:9/hook',
			events: ['click'],
			campaignId,
		});
		expect(sub.status).toBe(201);
		const before = (await scrape(server)).value('sms_tracking_webhook_outbox_pending')!;
		for (let i = 0; i < 4; i++)
			await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
		const pending = await waitFor(
			async () => (await scrape(server)).value('sms_tracking_webhook_outbox_pending')!,
			{
				what: 'four more pending deliveries',
				until: (n) => n === before + 4,
			},
		);
		expect(pending).toBe(before + 4);
	});

	test('when the rollup folder cannot keep up, then the fold lag gauge reports the age of the oldest waiting event, and 0 once folded', async () => {
		const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
			{ recipient: '+4915112345670', urls: ['https://shop.example/d'] },
		]);
		await waitFor(async () => (await scrape(server)).value('sms_tracking_stats_fold_lag_seconds'), {
			what: 'nothing waiting to be folded',
			until: (lag) => lag === 0,
		});
		// Holding the campaign's rollup row blocks the fold that must update it: its events stay queued.
		const blocker = new Client({ connectionString: server.databaseUrl });
		await blocker.connect();
		try {
			await blocker.query('BEGIN');
			await blocker.query('SELECT 1 FROM stats_recipients WHERE campaign_id = $1 FOR UPDATE', [
				campaignId,
			]);
			await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
			await waitFor(
				async () => (await scrape(server)).value('sms_tracking_stats_fold_lag_seconds')!,
				{
					what: 'a fold lag of more than a second',
					until: (lag) => lag > 1,
				},
			);
		} finally {
			await blocker.query('ROLLBACK');
			await blocker.end();
		}
		await waitFor(async () => (await scrape(server)).value('sms_tracking_stats_fold_lag_seconds'), {
			what: 'the fold lag back to 0',
			until: (lag) => lag === 0,
		});
	});
});

describe('webhook deliveries', () => {
	let server: TestServer;
	let receiver: Receiver;
	beforeAll(async () => {
		// 200 for the delivered campaign's events, 500 for the others: two attempts, then failed.
		receiver = await startReceiver((_n, received) => ({
			status: received.body.includes('/ok') ? 200 : 500,
		}));
		server = await startTestServer({
			WEBHOOK_RETRY_SCHEDULE: '50ms',
			WEBHOOK_POLL_MS: '50',
			WEBHOOK_TIMEOUT_MS: '2000',
		});
	});
	afterAll(async () => {
		await server.close();
		await receiver.close();
	});

	test('when webhooks are delivered, retried and given up on, then the deliveries counter moves by result, the dispatch histogram counts each attempt and the outbox failed gauge counts the failed one', async () => {
		const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
			{ recipient: '+4915112345678', urls: ['https://shop.example/ok', 'https://shop.example/no'] },
		]);
		expect(
			(
				await server.api('POST', '/api/v1/webhooks', {
					url: receiver.url,
					events: ['click'],
					campaignId,
				})
			).status,
		).toBe(201);
		const before = await scrape(server);
		await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
		await hit(`${server.url}/${codes[1]}`, { userAgent: chromeOnAndroid });

		const deliveries = (m: Exposition, result: string) =>
			m.value('sms_tracking_webhook_deliveries_total', { result })! -
			before.value('sms_tracking_webhook_deliveries_total', { result })!;
		const after = await waitFor(() => scrape(server), {
			what: 'one delivered, one retried and one failed attempt counted',
			until: (m) =>
				deliveries(m, 'delivered') === 1 &&
				deliveries(m, 'retry') === 1 &&
				deliveries(m, 'failed') === 1,
		});
		const attempts = (m: Exposition) =>
			m.value('sms_tracking_webhook_dispatch_duration_seconds_count')!;
		expect(attempts(after) - attempts(before)).toBe(3);
		// The database gauges may lag a scrape behind (one reading per second at most).
		const outbox = await waitFor(() => scrape(server), {
			what: 'the outbox gauges to show one failed delivery and none pending',
			until: (m) =>
				m.value('sms_tracking_webhook_outbox_failed') === 1 &&
				m.value('sms_tracking_webhook_outbox_pending') === 0,
		});
		expect(outbox.value('sms_tracking_webhook_outbox_failed')).toBe(1);
	});
});

describe('the journal', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer({ WEBHOOK_DISPATCHER: 'off' });
	});
	afterAll(() => server.close());

	test('when clicks go through the journal, then its loaded rows count them and its backlog returns to nothing', async () => {
		const read = (m: Exposition) =>
			[
				'sms_tracking_journal_pending_bytes',
				'sms_tracking_journal_lag_seconds',
				'sms_tracking_journal_rows_loaded_total',
				'sms_tracking_journal_rows_rejected_total',
				'sms_tracking_events_unrecorded_total',
			].map((name) => m.value(name));
		const [, , loadedBefore] = read(await scrape(server));
		const { codes } = await createCampaignWithLinks(server, {}, [
			{ recipient: '+4915112340001', urls: ['https://shop.example/'] },
		]);
		for (let i = 0; i < 3; i++)
			expect((await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid })).status).toBe(
				302,
			);
		// hit() waits until the journal's loader has stored the click
		expect(read(await scrape(server))).toEqual([0, 0, (loadedBefore ?? 0) + 3, 0, 0]);
	});
});

describe('the docs', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer({ WEBHOOK_DISPATCHER: 'off' });
	});
	afterAll(() => server.close());

	test('when the series are listed in docs/operations.md, then the list is exactly what /metrics serves', async () => {
		const docs = readFileSync(path.resolve(__dirname, '../../../docs/operations.md'), 'utf8');
		const section = docs.slice(
			docs.indexOf('<a id="metrics"></a>'),
			docs.indexOf('<a id="benchmarks"></a>'),
		);
		const documented = [...section.matchAll(/^\| `(sms_tracking_[a-z_]+)` \| (\w+) \|/gm)].map(
			([, name, type]) => [name, type],
		);
		const served = [...(await scrape(server)).types].filter(([name]) =>
			name.startsWith('sms_tracking_'),
		);
		expect(documented.sort()).toEqual(served.sort());
	});
});
