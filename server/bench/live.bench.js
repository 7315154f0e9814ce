#!/usr/bin/env node
// The live dashboard feed under load: redirect throughput with many live streams open against the
// same server with none (measured in the same run), the time from a click's 302 to its message on
// the streams, and whether every stored click reached every stream of its campaign. Targets
// (docs/operations.md#benchmarks): with streams ≥ 0.8 of without, click → stream p50 ≤ 100 ms,
// no message missing.
//
// Needs the built server (npm run bench builds it) and a PostgreSQL (see redirect.bench.js).
const autocannon = require('autocannon');
const { Client } = require('pg');
const { api, apiKey, median, scratchDatabase, startServer, size } = require('./support');

const duration = Number(process.env.BENCH_SECONDS || size(5, 1));
const campaignCount = size(50, 3);
const streamsPerCampaign = size(4, 2);
const linksPerCampaign = 20;
const probes = size(30, 5);
const userAgent =
	'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

/**
 * Opens one stream and counts its event messages after "ready" (the ones before are the latest
 * stored before it opened); `waiting.get(code)` is called when a click on that code arrives.
 */
async function openStream(url) {
	const abort = new AbortController();
	const res = await fetch(url, {
		headers: { authorization: `Bearer ${apiKey}` },
		signal: abort.signal,
	});
	if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
	const stream = { count: 0, waiting: new Map(), close: () => abort.abort() };
	let ready;
	const isReady = new Promise((resolve) => (ready = resolve));
	let live = false;
	(async () => {
		const decoder = new TextDecoder();
		let buffer = '';
		try {
			for await (const chunk of res.body) {
				buffer += decoder.decode(chunk, { stream: true });
				let end;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const message = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					if (/^event: ready$/m.test(message)) {
						live = true;
						ready();
					}
					const data = /^data: (.*)$/m.exec(message);
					if (!live || !data || /^event: /m.test(message)) continue;
					stream.count++;
					const { code } = JSON.parse(data[1]);
					stream.waiting.get(code)?.();
				}
			}
		} catch {
			// closed
		}
	})();
	await isReady;
	return stream;
}

const arrival = (stream, code) => new Promise((resolve) => stream.waiting.set(code, resolve));

async function measure(name, url, paths) {
	const result = await autocannon({
		url,
		connections: 50,
		duration,
		headers: { 'user-agent': userAgent },
		requests: paths.map((p) => ({ method: 'GET', path: p })),
	});
	const rate = (result.statusCodeStats?.['302']?.count ?? result['3xx']) / duration;
	process.stdout.write(
		`${name.padEnd(36)} ${Math.round(rate).toString().padStart(7)} redirects/s   p99 ${result.latency.p99} ms\n`,
	);
	return rate;
}

async function clicksPerCampaign(databaseUrl) {
	const client = new Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const { rows } = await client.query(
			`SELECT campaign_id, count(*)::int AS n FROM events WHERE type = 'click' GROUP BY 1`,
		);
		return new Map(rows.map((r) => [r.campaign_id, r.n]));
	} finally {
		await client.end();
	}
}

async function main() {
	const db = await scratchDatabase('live');
	let server;
	const streams = [];
	try {
		server = await startServer({ DATABASE_URL: db.url, LIVE_MAX_CONNECTIONS: '10000' });
		const campaigns = [];
		for (let c = 0; c < campaignCount; c++) {
			const campaign = await api(`${server.url}/api/v1/campaigns`, 'POST', { name: `live ${c}` });
			const recipients = Array.from({ length: linksPerCampaign }, (_, i) => ({
				recipient: `+49151${String(c * linksPerCampaign + i).padStart(8, '0')}`,
				urls: ['https://shop.example/live'],
			}));
			const { links } = await api(`${server.url}/api/v1/campaigns/${campaign.id}/links`, 'POST', {
				recipients,
			});
			campaigns.push({ id: campaign.id, codes: links.map((l) => l.code), streams: [] });
		}
		const paths = campaigns.flatMap((c) => c.codes.map((code) => `/${code}`));

		const without = await measure('redirect, no live streams', server.url, paths);
		for (const campaign of campaigns) {
			for (let s = 0; s < streamsPerCampaign; s++) {
				const stream = await openStream(`${server.url}/api/v1/campaigns/${campaign.id}/live`);
				campaign.streams.push(stream);
				streams.push(stream);
			}
		}
		const before = await clicksPerCampaign(db.url);
		const withStreams = await measure(
			`redirect, ${streams.length} live streams open`,
			server.url,
			paths,
		);

		const latencies = [];
		for (let i = 0; i < probes; i++) {
			const campaign = campaigns[i % campaigns.length];
			const code = campaign.codes[i % linksPerCampaign];
			const arrived = arrival(campaign.streams[0], code);
			const started = performance.now();
			const res = await fetch(`${server.url}/${code}`, {
				redirect: 'manual',
				headers: { 'user-agent': userAgent },
			});
			await res.arrayBuffer();
			await arrived;
			latencies.push(performance.now() - started);
		}

		// Every stored click must reach every stream of its campaign: wait (up to 10 s) until it has.
		const after = await clicksPerCampaign(db.url);
		const missingNow = () => {
			let missing = 0;
			for (const campaign of campaigns) {
				const stored = (after.get(campaign.id) ?? 0) - (before.get(campaign.id) ?? 0);
				for (const stream of campaign.streams) missing += Math.max(0, stored - stream.count);
			}
			return missing;
		};
		let missing = missingNow();
		for (
			const until = Date.now() + 10_000;
			missing > 0 && Date.now() < until;
			missing = missingNow()
		)
			await new Promise((r) => setTimeout(r, 100));

		const ratio = withStreams / without;
		const p50 = median(latencies);
		const line = (label, value, ok) =>
			process.stdout.write(
				`${label.padEnd(48)} ${value.padStart(10)}   ${ok ? 'meets target' : 'BELOW TARGET'}\n`,
			);
		process.stdout.write('\n');
		line('with streams / without (target ≥ 0.8)', ratio.toFixed(2), ratio >= 0.8);
		line('click 302 → stream message, p50 (≤ 100 ms)', `${p50.toFixed(1)} ms`, p50 <= 100);
		line('messages missing on the streams (0)', String(missing), missing === 0);
		if (missing > 0) process.exitCode = 1;
	} finally {
		for (const stream of streams) stream.close();
		await server?.stop();
		await db.drop().catch(() => undefined);
	}
}

main().catch((err) => {
	process.stderr.write(`${err.stack || err}\n`);
	process.exit(1);
});
