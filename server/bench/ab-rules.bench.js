// The A/B test rule checker (server/src/ab-tests/checker.ts) over 1,000 campaigns with running
// tests: every test due (decided "as soon as clear") and none decidable, the worst case, so each
// pass reads every campaign's variant counts and decides nothing. One pass is timed as CPU (the
// server's Node process, and the PostgreSQL backends that answer it, read from /proc) against the
// wall time of a check interval, which is the share of one core the checker costs. The checker
// reads every test's counts on one pass in ten and probes each test's newest event on the others.
// Target (docs/operations.md#benchmarks): < 1 % of one core at the default interval (60 s).
const { readFileSync } = require('node:fs');
const { Client } = require('pg');
const { scratchDatabase, median, size } = require('./support');
const { migrate } = require('../dist/db/migrate');
const { createDatabase } = require('../dist/db');
const { createLogger } = require('../dist/log');
const { createAbTestChecker } = require('../dist/ab-tests/checker');

const campaigns = size(1_000, 20);
const perVariant = size(500, 50);
const holdout = size(100, 10);
const cycles = Number(process.env.BENCH_RUNS || size(2, 1));
const defaultIntervalMs = 60_000;
const ticksPerSecond = 100; // CLK_TCK of Linux: /proc/<pid>/stat counts CPU in 10 ms ticks

const rule = {
	metric: 'ctr',
	confidence: 0.95,
	minSamplePerVariant: 100,
	decide: 'whenMet',
	deadlineAfterHours: 24 * 365,
	atDeadline: 'leader',
};

async function seed(client) {
	await client.query(
		`INSERT INTO campaigns (id, name, variants, holdout, ab_test_rule)
		 SELECT 'cmp_bench' || n, 'bench ' || n, '[{"name":"A","weight":1,"text":"A text"},{"name":"B","weight":1,"text":"B text"}]', 0.1, $2::jsonb
		 FROM generate_series(1, $1::int) n`,
		[campaigns, JSON.stringify(rule)],
	);
	// A: 10 % click, B: 10.4 % — never significant at these sizes, so no pass decides anything.
	// In steps of 50 campaigns: the messages trigger hands a statement's rows over as one document.
	const recipient = `'+4917' || lpad(c::text, 4, '0') || v || lpad(r::text, 5, '0')`;
	for (let from = 1; from <= campaigns; from += 50) {
		const range = [from, Math.min(from + 49, campaigns)];
		await client.query(
			`INSERT INTO messages (campaign_id, recipient, variant, segments, status)
			 SELECT 'cmp_bench' || c, ${recipient}, CASE v WHEN 0 THEN 'A' WHEN 1 THEN 'B' ELSE 'holdout' END, 1,
			        CASE WHEN v = 2 THEN 'holdout' ELSE 'sent' END
			 FROM generate_series($1::int, $2::int) c, generate_series(0, 2) v, generate_series(1, $3::int) r
			 WHERE v < 2 OR r <= $4`,
			[...range, perVariant, holdout],
		);
		await client.query(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient, variant, url)
			 SELECT 'k' || c || '-' || v || '-' || r, 'click', now(), 'cmp_bench' || c, ${recipient},
			        CASE v WHEN 0 THEN 'A' ELSE 'B' END, 'https://shop.example/'
			 FROM generate_series($1::int, $2::int) c, generate_series(0, 1) v, generate_series(1, $3::int) r
			 WHERE r <= CASE v WHEN 0 THEN $3 / 10 ELSE $3 * 104 / 1000 END`,
			[...range, perVariant],
		);
	}
	while ((await client.query('SELECT stats_fold(100000) AS n')).rows[0].n > 0);
	await client.query('VACUUM ANALYZE stats_recipients, stats_wave_recipients, campaigns');
}

/** CPU ticks of the database's backends serving the checker's pool (null where /proc cannot tell). */
async function backendTicks(client, database) {
	const { rows } = await client.query(
		`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sms-tracking'`,
		[database],
	);
	let ticks = 0;
	for (const { pid } of rows) {
		try {
			const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
			ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
		} catch {
			return null;
		}
	}
	return ticks;
}

async function main() {
	const scratch = await scratchDatabase('ab_rules');
	const log = createLogger('warn');
	const client = new Client({ connectionString: scratch.url });
	let db;
	try {
		await migrate(scratch.url, log);
		await client.connect();
		const seedStart = Date.now();
		await seed(client);
		const seedMs = Date.now() - seedStart;
		db = createDatabase(scratch.url, 2, log, { preparedStatements: true });
		const database = new URL(scratch.url).pathname.slice(1);

		const checker = createAbTestChecker(db, log);
		const first = await checker.check(); // notes each test's start, plans the statements
		if (first.open !== campaigns || first.due !== campaigns || first.decided !== 0) {
			throw new Error(
				`expected ${campaigns} open and due tests and no decision, got ${JSON.stringify(first)}`,
			);
		}
		// Passes 1…9 of the checker's cycle look at each test's signature only (nothing changed);
		// pass 10 reads every test's counts, as does every pass when every test gets new clicks.
		const cycle = 10;
		const probes = { node: [], pg: [], wall: [] };
		const reads = { node: [], pg: [], wall: [] };
		for (let pass = 1; pass <= cycle * cycles; pass++) {
			const into = pass % cycle === 0 ? reads : probes;
			const ticksBefore = await backendTicks(client, database);
			const cpuBefore = process.cpuUsage();
			const started = process.hrtime.bigint();
			const result = await checker.check();
			into.wall.push(Number(process.hrtime.bigint() - started) / 1e6);
			const cpu = process.cpuUsage(cpuBefore);
			into.node.push((cpu.user + cpu.system) / 1000);
			const ticksAfter = await backendTicks(client, database);
			if (ticksBefore !== null && ticksAfter !== null)
				into.pg.push(((ticksAfter - ticksBefore) * 1000) / ticksPerSecond);
			if (result.due !== campaigns || result.decided !== 0)
				throw new Error(`pass ${pass}: ${JSON.stringify(result)}`);
		}
		const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
		// backend ticks are 10 ms coarse: means over the passes, not medians, keep their sums
		const cost = (m) => ({
			node: mean(m.node),
			pg: m.pg.length ? mean(m.pg) : null,
			wall: median(m.wall),
		});
		const probe = cost(probes);
		const read = cost(reads);
		const perPass = (pick) => (pick(read) + (cycle - 1) * pick(probe)) / cycle;
		const node = perPass((c) => c.node);
		const pg = read.pg === null || probe.pg === null ? null : perPass((c) => c.pg);
		const percent = (ms, intervalMs) => ((ms / intervalMs) * 100).toFixed(3);
		const describe = (c) =>
			`Node CPU ${c.node.toFixed(1)} ms, PostgreSQL CPU ${c.pg === null ? 'not readable here' : `${c.pg.toFixed(1)} ms`}, wall ${c.wall.toFixed(1)} ms`;

		console.log(
			`ab-rules: ${campaigns.toLocaleString('en')} campaigns with running tests, 2 variants × ${perVariant} recipients + ${holdout} in the hold-out each, every test due and none decidable (seeded in ${(seedMs / 1000).toFixed(1)} s), ${cycle * cycles} passes`,
		);
		console.log(`  a pass that reads every test's counts: ${describe(read)}`);
		console.log(`  a pass that finds no test changed:     ${describe(probe)}`);
		for (const intervalMs of [defaultIntervalMs, 10_000]) {
			console.log(
				`  at AB_TEST_CHECK_INTERVAL_MS=${intervalMs}: the server's process ${percent(node, intervalMs)} % of one core${pg === null ? '' : `, with its database ${percent(node + pg, intervalMs)} %`}${intervalMs === defaultIntervalMs ? ' (target < 1 %)' : ''}; when every test gets new clicks each interval ${percent(read.node, intervalMs)} %${read.pg === null ? '' : `, with its database ${percent(read.node + read.pg, intervalMs)} %`}`,
			);
		}
	} finally {
		await db?.close();
		await client.end().catch(() => undefined);
		await scratch.drop();
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
