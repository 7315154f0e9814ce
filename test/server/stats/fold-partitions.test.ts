import { Client } from 'pg';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * The fold looks each queued event up by its id and time (migration 028): one index probe in the
 * partition of the event's month, however many months are stored.
 */
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

/**
 * The plans of the statements inside functions this transaction calls, as notices (with the
 * rows and loops each node ran).
 */
async function explainNestedStatements(client: Client): Promise<void> {
	await client.query(`LOAD 'auto_explain'`);
	await client.query(`SET LOCAL auto_explain.log_min_duration = 0`);
	await client.query(`SET LOCAL auto_explain.log_analyze = on`);
	await client.query(`SET LOCAL auto_explain.log_timing = off`);
	await client.query(`SET LOCAL auto_explain.log_nested_statements = on`);
	await client.query(`SET LOCAL auto_explain.log_level = warning`);
}

/**
 * Runs `work` on a connection of its own, in a transaction rolled back afterwards (the server's
 * folder never sees what it stores), and returns the plan of the fold's head statement among the
 * plans `work` had explained.
 */
async function foldHeadPlan(work: (client: Client) => Promise<void>): Promise<string | undefined> {
	const client = new Client({ connectionString: server.databaseUrl });
	await client.connect();
	const plans: string[] = [];
	client.on('notice', (notice) => plans.push(notice.message ?? ''));
	try {
		await client.query('BEGIN');
		await work(client);
	} finally {
		await client.query('ROLLBACK');
		await client.end();
	}
	return plans.find((plan) => /WITH taken AS/.test(plan) && /stats_fold_batch/.test(plan));
}

const months = 12;
const monthStart = (monthsAgo: number) => {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
};

test('when events of twelve months are folded, then each queued event is looked up in its own month’s partition only', async () => {
	const campaignId = (await server.api('POST', '/api/v1/campaigns', { name: 'a year' })).body.id;
	const times = Array.from({ length: months }, (_, m) => [
		new Date(monthStart(m).getTime() + 86_400_000),
		new Date(monthStart(m).getTime() + 9 * 86_400_000),
	]).flat();
	for (const at of times) await server.sql('SELECT events_create_month_partition($1)', [at]);

	// stored and folded in one transaction: the server's own folder never sees these events
	const head = await foldHeadPlan(async (client) => {
		await client.query(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient)
			 SELECT 'click_year_' || n, 'click', at, $1, '+4915100000601' FROM unnest($2::timestamptz[]) WITH ORDINALITY AS t(at, n)`,
			[campaignId, times],
		);
		await explainNestedStatements(client);
		const { rows } = await client.query('SELECT stats_fold(1000, $1) AS n', [campaignId]);
		expect(rows[0].n).toBe(times.length);
	});
	expect(head).toBeDefined();
	const probes = [...head!.matchAll(/ on events_\w+ \w+ .*\(actual rows=\d+ loops=(\d+)\)/g)].map(
		(m) => Number(m[1]),
	);
	// one probe per event in all; a join by id alone reads every partition for each event, or each
	// partition's whole index once
	expect(probes.reduce((sum, loops) => sum + loops, 0)).toBe(times.length);
	expect(probes.length).toBeGreaterThanOrEqual(months);
});

test('when a stats request folds its campaign while other campaigns’ events wait, then the fold reads the campaign’s queue through its index, also with the plan PL/pgSQL caches', async () => {
	const busy = (await server.api('POST', '/api/v1/campaigns', { name: 'backlog' })).body.id;
	const quiet = (await server.api('POST', '/api/v1/campaigns', { name: 'asked for' })).body.id;
	const head = await foldHeadPlan(async (client) => {
		await client.query(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient)
			 SELECT 'click_backlog_' || n, 'click', now(), $1, '+4915100000602' FROM generate_series(1, 2000) n`,
			[busy],
		);
		await client.query(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient)
			 VALUES ('click_asked_1', 'click', now(), $1, '+4915100000603')`,
			[quiet],
		);
		await client.query('ANALYZE stats_pending');
		// the plan a long-lived connection ends up with after a few calls
		await client.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
		await explainNestedStatements(client);
		const { rows } = await client.query('SELECT stats_fold(1000, $1) AS n', [quiet]);
		expect(rows[0].n).toBe(1);
	});
	expect(head).toBeDefined();
	expect(head).toMatch(/Index Scan using stats_pending_campaign on stats_pending/);
	expect(head).not.toMatch(/Seq Scan on stats_pending/);
	expect(head).not.toMatch(/Index Scan using stats_pending_pkey on stats_pending\s+\(/);
});
