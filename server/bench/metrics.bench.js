// /metrics with 1,000,000 events stored (and one webhook delivery each: most delivered, 2 % failed,
// 1 % pending), against the bare baseline of GET /healthz on the same server in the same run.
// The database gauges (outbox pending and failed, stats fold lag) are read at scrape time (a scrape
// waits 25 ms at most for them, then answers with the previous reading), so the bench also times
// their queries alone. Target (docs/operations.md#benchmarks): /metrics answers in < 50 ms.
// Prints each gauge query's plan: they must read indexes, never the whole table.
const { Client } = require('pg');
const { scratchDatabase, startServer, median, size } = require('./support');

const events = size(1_000_000, 20_000);
const scrapes = size(50, 5);
const plansMatter = size(true, false);
const token = 'bench-metrics-token-0123456789';

async function seed(client) {
	await client.query(`INSERT INTO campaigns (id, name) VALUES ('cmp_bench', 'bench')`);
	await client.query(
		`INSERT INTO webhook_subscriptions (id, url, events, secret)
		 VALUES ('whs_bench', 'http://127.0.0.1:9/hook', '{click}', 'whsec_bench')`,
	);
	for (let from = 0; from < events; from += 200_000) {
		const to = Math.min(events, from + 200_000) - 1;
		await client.query(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, url)
			 SELECT 'bench_' || g, 'click', now() - interval '1 hour', 'cmp_bench', 'c' || (g % 50000),
			        '+49151' || lpad((g % 50000)::text, 7, '0'), 'https://shop.example/p'
			 FROM generate_series($1::int, $2::int) g`,
			[from, to],
		);
	}
	await client.query(
		`INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_occurred_at, status, attempts, next_attempt_at, delivered_at)
		 SELECT 'whd_' || e.id, 'whs_bench', e.id, e.occurred_at,
		        CASE WHEN e.id % 100 = 0 THEN 'pending' WHEN e.id % 50 = 1 THEN 'failed' ELSE 'delivered' END,
		        1, now() + interval '1 day', CASE WHEN e.id % 100 > 1 THEN now() END
		 FROM events e`,
	);
	// What autovacuum does for a table that has settled: statistics and the visibility map.
	await client.query('VACUUM ANALYZE webhook_deliveries, events, stats_pending');
}

async function timed(url, headers) {
	const started = process.hrtime.bigint();
	const res = await fetch(url, { headers });
	const text = await res.text();
	if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`);
	return { ms: Number(process.hrtime.bigint() - started) / 1e6, text };
}

// The queries of webhooks/outbox-backlog.ts and stats/fold-lag.ts.
const plans = [
	[
		'outbox',
		`SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'), (SELECT count(*) FROM webhook_deliveries WHERE status = 'failed')`,
	],
	[
		'fold lag',
		`SELECT now() - e.recorded_at FROM events e WHERE (e.id, e.occurred_at) = (SELECT event_id, occurred_at FROM stats_pending ORDER BY event_id LIMIT 1)`,
	],
];

const p95 = (xs) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

async function main() {
	const db = await scratchDatabase('metrics');
	let server;
	const client = new Client({ connectionString: db.url });
	try {
		// The server migrates the scratch database, then stops while the rows go in (and VACUUM sets
		// the visibility map, as autovacuum does on a settled table). Started again, its rollup folder
		// works through the 1,000,000 queued events while the scrapes run, as after a burst.
		await (await startServer({ DATABASE_URL: db.url })).stop();
		await client.connect();
		const seedStarted = Date.now();
		await seed(client);
		console.log(
			`seeded ${events.toLocaleString('en')} events and deliveries in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`,
		);
		server = await startServer({
			DATABASE_URL: db.url,
			METRICS_TOKEN: token,
			WEBHOOK_DISPATCHER: 'off',
		});

		for (const [name, sql] of [
			[
				'outbox',
				`SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'), (SELECT count(*) FROM webhook_deliveries WHERE status = 'failed')`,
			],
			[
				'fold lag',
				`SELECT now() - e.recorded_at FROM events e WHERE (e.id, e.occurred_at) = (SELECT event_id, occurred_at FROM stats_pending ORDER BY event_id LIMIT 1)`,
			],
		]) {
			const { rows } = await client.query(
				`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${sql}`,
			);
			console.log(`plan of the ${name} query:\n  ${rows.map((r) => r['QUERY PLAN']).join('\n  ')}`);
			const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
			// Empty partitions of events (months ahead, the default one) are read whole at no cost.
			const wholeReads = [];
			for (const [, table] of plan.matchAll(/Seq Scan on (webhook_deliveries|events\w*)/g)) {
				const { rows: filled } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${table}) AS filled`);
				if (filled[0].filled) wholeReads.push(table);
			}
			if (wholeReads.length > 0) {
				// At the quick size a whole-table read may be the planner's right choice.
				if (plansMatter) throw new Error(`the ${name} query reads a whole table`);
				console.log(`  (the ${name} query reads a whole table: fine at this size only)`);
			}
		}

		const reading = [];
		for (let i = 0; i < scrapes; i++) {
			const started = process.hrtime.bigint();
			for (const [, sql] of plans) await client.query(sql);
			reading.push(Number(process.hrtime.bigint() - started) / 1e6);
		}

		const auth = { authorization: `Bearer ${token}` };
		const health = [];
		const metrics = [];
		let last = '';
		for (let i = 0; i < scrapes; i++) {
			health.push((await timed(`${server.url}/healthz`)).ms);
			const scrape = await timed(`${server.url}/metrics`, auth);
			metrics.push(scrape.ms);
			last = scrape.text;
		}
		const line = (name) =>
			last.split('\n').find((l) => l.startsWith(name + ' ')) ?? `${name} (missing)`;
		console.log(
			`  ${line('sms_tracking_webhook_outbox_pending')}\n  ${line('sms_tracking_webhook_outbox_failed')}\n  ${line('sms_tracking_stats_fold_lag_seconds')}`,
		);
		console.log(
			`GET /healthz  (baseline)   median ${median(health).toFixed(1)} ms, p95 ${p95(health).toFixed(1)} ms`,
		);
		console.log(
			`gauge queries alone        median ${median(reading).toFixed(1)} ms, p95 ${p95(reading).toFixed(1)} ms`,
		);
		console.log(
			`GET /metrics               median ${median(metrics).toFixed(1)} ms, p95 ${p95(metrics).toFixed(1)} ms  (target < 50 ms)`,
		);
		if (!/sms_tracking_webhook_outbox_failed \d/.test(last))
			throw new Error('the scrape lacks the outbox gauges');
	} finally {
		await client.end().catch(() => undefined);
		await server?.stop();
		await db.drop();
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
