#!/usr/bin/env node
// The server's memory during the redirect load with a large link table: 1,000,000 codes seeded
// with one set-based INSERT, then 50 connections of GETs over codes drawn at random from all of
// them (so the link cache, LINK_CACHE_SIZE, fills and churns, and most codes are read from
// PostgreSQL), while the server process's resident set (/proc/<pid>/status VmRSS) is sampled
// every 100 ms.
// Target (docs/operations.md#benchmarks): peak RSS ≤ 250 MB. Fails on errors and on answered
// clicks missing from the database, never on figures. Quick mode: 10,000 codes for 3 s.
const { readFileSync } = require('node:fs');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { api, scratchDatabase, startServer, size } = require('./support');

const codeCount = Number(process.env.BENCH_RSS_CODES ?? size(1_000_000, 10_000));
const seconds = Number(process.env.BENCH_SECONDS ?? size(30, 3));
const connections = 50;
const targetMb = 250;
const userAgent =
	'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

const rssMb = (pid) => {
	const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
};

// 'R' and seven digits: eight characters of the code alphabet, as CODE_LENGTH's default asks.
const codeOf = (i) => `R${String(i).padStart(7, '0')}`;

async function main() {
	const db = await scratchDatabase('memory');
	const sql = new Client({ connectionString: db.url });
	let server;
	let failed = false;
	try {
		server = await startServer({ DATABASE_URL: db.url });
		await sql.connect();
		const campaign = await api(`${server.url}/api/v1/campaigns`, 'POST', { name: 'rss bench' });
		const seedStarted = Date.now();
		await sql.query(
			`INSERT INTO links (code, campaign_id, recipient, destination)
			 SELECT 'R' || lpad(i::text, 7, '0'), $1, '+49151' || lpad(i::text, 8, '0'),
			        'https://shop.example/sale?id=' || i
			   FROM generate_series(0, $2::int - 1) AS i`,
			[campaign.id, codeCount],
		);
		await sql.query('ANALYZE links');
		const seedSeconds = (Date.now() - seedStarted) / 1000;

		const idle = rssMb(server.child.pid);
		const samples = [];
		const sampler = setInterval(() => samples.push(rssMb(server.child.pid)), 100);
		const result = await autocannon({
			url: server.url,
			connections,
			duration: seconds,
			headers: { 'user-agent': userAgent },
			requests: [
				{
					method: 'GET',
					setupRequest: (req) => ({
						...req,
						path: `/${codeOf(Math.floor(Math.random() * codeCount))}`,
					}),
				},
			],
		});
		// The loader keeps running after the load: sample until every answered click is stored.
		const answered = result.statusCodeStats?.['302']?.count ?? result['3xx'];
		const count = async () =>
			(await sql.query(`SELECT count(*)::int AS n FROM events WHERE type = 'click'`)).rows[0].n;
		const waitStarted = Date.now();
		let stored = await count();
		while (stored < answered && Date.now() - waitStarted < 120_000) {
			await new Promise((r) => setTimeout(r, 200));
			stored = await count();
		}
		clearInterval(sampler);
		const peak = Math.max(...samples);
		const errors = result.errors + result.timeouts + result.non2xx - result['3xx'];
		const missing = Math.max(0, answered - stored);

		console.log(
			`redirect RSS: ${codeCount} codes seeded in ${seedSeconds.toFixed(1)} s, ${connections} connections for ${seconds} s over random codes`,
		);
		console.log(
			`  ${answered} redirects answered, ${Math.round(answered / seconds)}/s, p99 ${result.latency.p99} ms`,
		);
		console.log(
			`  server RSS: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB during the run and the loading after it ` +
				`(${samples.length} samples; target ≤ ${targetMb} MB) ${codeCount < 1_000_000 ? 'no verdict with fewer than 1,000,000 codes' : peak <= targetMb ? 'meets target' : 'ABOVE TARGET'}`,
		);
		console.log(`  redirect errors ${errors}; clicks answered but not stored ${missing}`);
		failed = errors > 0 || missing > 0 || answered === 0;
		if (failed) console.log('ERRORS OR LOST CLICKS');
	} finally {
		await sql.end().catch(() => undefined);
		await server?.stop();
		await db.drop().catch(() => undefined);
	}
	if (failed) process.exitCode = 1;
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
