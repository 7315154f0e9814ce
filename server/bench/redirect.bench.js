#!/usr/bin/env node
// The redirect with every click durable (fdatasynced to the local journal before the 302, loaded
// into PostgreSQL by the journal's loader) against two baselines measured in the same run on the
// same machine: a bare node:http server answering 302 from a Map, and a bare Express 5 app doing
// the same. Prints throughput ratios, p99 latency and whether any answered click is missing from
// the database once the loader caught up. Targets (docs/operations.md#benchmarks): ≥ 0.40 of bare
// node:http, ≥ 3× bare Express, p99 ≤ 10 ms at 50 connections, no event missing, no error.
// A quick run (--quick) fails on errors and missing events only.
//
// Needs the built server (npm run bench builds it) and a PostgreSQL: BENCH_DATABASE_URL, else
// TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; a database of its own is
// created there and dropped afterwards.
const path = require('node:path');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { startProcess } = require('./baselines/processes');
const { api, scratchDatabase, startServer, size } = require('./support');

const connections = Number(process.env.BENCH_CONNECTIONS || 50);
const duration = Number(process.env.BENCH_SECONDS || size(5, 1));
const warmupSeconds = 1;
const codeCount = 200;
const userAgent =
	'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

async function countClicks(databaseUrl, campaignId) {
	const client = new Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const { rows } = await client.query(
			`SELECT count(*)::int AS n FROM events WHERE campaign_id = $1 AND type = 'click'`,
			[campaignId],
		);
		return rows[0].n;
	} finally {
		await client.end();
	}
}

function load(url, paths, seconds) {
	return autocannon({
		url,
		connections,
		duration: seconds,
		headers: { 'user-agent': userAgent },
		requests: paths.map((p) => ({ method: 'GET', path: p })),
	});
}

/** Warm-up, then the measured run; returns req/s, p99 and the count of 302 answers. */
async function measure(name, url, paths) {
	await load(url, paths, warmupSeconds);
	const result = await load(url, paths, duration);
	const redirects = result.statusCodeStats?.['302']?.count ?? result['3xx'];
	const rate = redirects / duration;
	const errors = result.errors + result.timeouts + result.non2xx - result['3xx'];
	process.stdout.write(
		`${name.padEnd(34)} ${Math.round(rate).toString().padStart(7)} redirects/s   p99 ${String(result.latency.p99).padStart(4)} ms   ` +
			`errors ${errors}\n`,
	);
	return { rate, p99: result.latency.p99, redirects, errors };
}

async function main() {
	const db = await scratchDatabase('redirect');
	const running = [];
	try {
		const server = await startServer({ DATABASE_URL: db.url });
		running.push(server);
		const campaign = await api(`${server.url}/api/v1/campaigns`, 'POST', {
			name: 'bench',
			conversionTracking: true,
			utm: { source: 'sms' },
		});
		const recipients = Array.from({ length: codeCount }, (_, i) => ({
			recipient: `+49151${String(i).padStart(8, '0')}`,
			urls: ['https://shop.example/sale?id=1'],
		}));
		const { links } = await api(`${server.url}/api/v1/campaigns/${campaign.id}/links`, 'POST', {
			recipients,
		});
		const paths = links.map((l) => `/${l.code}`);
		const map = JSON.stringify(Object.fromEntries(links.map((l) => [l.code, l.url])));

		const bare = await startProcess(path.join(__dirname, 'baselines', 'bare-http.js'), [map]);
		running.push(bare);
		const bareHttp = await measure('bare node:http, 302 from a Map', bare.url, paths);
		await bare.stop();

		const ex = await startProcess(path.join(__dirname, 'baselines', 'bare-express.js'), [map]);
		running.push(ex);
		const bareExpress = await measure('bare Express 5, 302 from a Map', ex.url, paths);
		await ex.stop();

		const ours = await measure('tracking server, durable clicks', server.url, paths);
		const answered = ours.redirects;
		// Answered once in the journal; wait (bounded) for the loader to store them, then stop.
		const loadStarted = Date.now();
		let stored = await countClicks(db.url, campaign.id);
		while (stored < answered && Date.now() - loadStarted < 120_000) {
			await new Promise((r) => setTimeout(r, 200));
			stored = await countClicks(db.url, campaign.id);
		}
		const loadSeconds = (Date.now() - loadStarted) / 1000;
		await server.stop();
		stored = await countClicks(db.url, campaign.id);
		// The warm-up's clicks are stored too; every 302 of the measured run must be among them.
		const missing = Math.max(0, answered - stored);

		const vsHttp = ours.rate / bareHttp.rate;
		const vsExpress = ours.rate / bareExpress.rate;
		const line = (label, value, ok) =>
			process.stdout.write(
				`${label.padEnd(44)} ${value.padStart(10)}   ${ok ? 'meets target' : 'BELOW TARGET'}\n`,
			);
		process.stdout.write('\n');
		line('redirect / bare node:http (target ≥ 0.40)', vsHttp.toFixed(2), vsHttp >= 0.4);
		line('redirect / bare Express 5 (target ≥ 3)', `${vsExpress.toFixed(2)}×`, vsExpress >= 3);
		line(`redirect p99 at ${connections} connections (≤ 10 ms)`, `${ours.p99} ms`, ours.p99 <= 10);
		line('clicks answered but not stored (0)', String(missing), missing === 0);
		line('redirect errors (0)', String(ours.errors), ours.errors === 0);
		process.stdout.write(
			`(${answered} redirects answered in the measured run, ${stored} clicks stored including the warm-up; ` +
				`the loader caught up ${loadSeconds.toFixed(1)} s after the run)\n`,
		);
		if (missing > 0 || ours.errors > 0) process.exitCode = 1;
	} finally {
		for (const proc of running)
			if (proc.child.exitCode === null && proc.child.signalCode === null) await proc.stop();
		await db.drop().catch(() => undefined);
	}
}

main().catch((err) => {
	process.stderr.write(`${err.stack || err}\n`);
	process.exit(1);
});
