// CSV export: GET …/events.csv of a campaign with 1,000,000 events (seeded with COPY), read over
// HTTP as a client would, against the bare baseline of `COPY (SELECT the same rows' columns as
// stored) TO STDOUT WITH CSV` read by a client in the same run (no time zone, no formula-safe
// cells, no HTTP): rows per second of each and their ratio, and the server's RSS growth while it
// streams (sampled from /proc). Targets (docs/operations.md#benchmarks): ≥ 100,000 rows/s and RSS
// growth ≤ 50 MB. A quick run checks the row counts only.
const { readFileSync } = require('node:fs');
const { Client } = require('pg');
const { scratchDatabase, startServer, api, apiKey, size, copyFrom } = require('./support');

const events = size(1_000_000, 20_000);
const chunk = 100_000;
const t0 = Date.parse('2026-11-01T00:00:00Z');

/** `events` rows in COPY text format: clicks, views and conversions over 14 days, 100,000 recipients. */
function copyRows(campaignId, from, to) {
	let text = '';
	for (let i = from; i < to; i++) {
		const type = i % 50 === 0 ? 'conversion' : i % 7 === 0 ? 'view' : 'click';
		const at = new Date(t0 + Math.floor((i / events) * 14 * 86_400_000)).toISOString();
		const r = String(i % 100_000).padStart(8, '0');
		const conversion = type === 'conversion' ? 'purchase\t19.9000\tEUR' : '\\N\t\\N\t\\N';
		text += `e${i}\t${type}\t${at}\t${campaignId}\tc${r}\t+49151${r}\t${i % 2 ? 'A' : 'B'}\thttps://shop.example/p${i % 3}\t${type === 'click' ? `k${i}` : '\\N'}\tmobile\tiOS\tMobile Safari\tDE\t${conversion}\n`;
	}
	return text;
}

async function seed(client, campaignId) {
	for (let from = 0; from < events; from += chunk) {
		await copyFrom(
			client,
			`COPY events (event_key, type, occurred_at, campaign_id, code, recipient, variant, url, click_id,
			              device_type, os, browser, country, conversion_name, conversion_value, conversion_currency)
			 FROM STDIN`,
			copyRows(campaignId, from, Math.min(from + chunk, events)),
		);
	}
	await client.query('VACUUM ANALYZE events');
}

/** The baseline: PostgreSQL writing the campaign's rows as stored as CSV, read and counted by a client. */
function copyOut(client, campaignId) {
	const bare = `SELECT id, type, occurred_at, recipient, variant, wave, url, code, device_type, os, browser, country,
	                     conversion_name, conversion_value, conversion_currency
	              FROM events WHERE campaign_id = '${campaignId}' ORDER BY id`;
	let bytes = 0;
	let lines = 0;
	return new Promise((resolve, reject) => {
		client.query({
			submit(connection) {
				connection.query(`COPY (${bare}) TO STDOUT WITH (FORMAT csv)`);
			},
			handleCopyData(msg) {
				bytes += msg.chunk.length;
				lines++; // PostgreSQL sends one CopyData message per row
			},
			handleCommandComplete() {},
			handleError: reject,
			handleReadyForQuery: () => resolve({ bytes, lines }),
		});
	});
}

const rssMb = (pid) => {
	const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
};

async function download(url, pid) {
	const before = rssMb(pid);
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
	const started = process.hrtime.bigint();
	const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
	if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
	let lines = 0;
	let bytes = 0;
	for await (const part of res.body) {
		bytes += part.length;
		for (let i = part.indexOf(10); i !== -1; i = part.indexOf(10, i + 1)) lines++;
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	clearInterval(sampler);
	peak = Math.max(peak, rssMb(pid));
	return { rows: lines - 1, bytes, ms, before, growth: peak - before };
}

async function main() {
	const db = await scratchDatabase('csv_export');
	const server = await startServer({ DATABASE_URL: db.url });
	const client = new Client({ connectionString: db.url });
	await client.connect();
	try {
		const campaign = await api(`${server.url}/api/v1/campaigns`, 'POST', { name: 'csv bench' });
		const seedStarted = Date.now();
		await seed(client, campaign.id);
		console.log(
			`csv export: ${events.toLocaleString('en')} events of one campaign (seeded with COPY in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s)`,
		);
		await copyOut(client, campaign.id); // warm-up: the table in the cache for both
		const copyStarted = process.hrtime.bigint();
		const copied = await copyOut(client, campaign.id);
		const copyMs = Number(process.hrtime.bigint() - copyStarted) / 1e6;
		if (copied.lines !== events) throw new Error(`COPY gave ${copied.lines} rows, expected ${events}`);
		const copyRate = events / (copyMs / 1000);
		console.log(
			`  baseline: bare COPY (SELECT the stored columns) TO STDOUT WITH CSV: ${copyMs.toFixed(0)} ms, ${Math.round(copyRate).toLocaleString('en')} rows/s, ${(copied.bytes / 1e6).toFixed(1)} MB`,
		);

		const url = `${server.url}/api/v1/campaigns/${campaign.id}/events.csv?timeZone=Europe/Berlin`;
		await download(`${url}&to=2026-11-01T00:00:01Z`, server.child.pid); // warm-up: the route and its cursor planned once
		const got = await download(url, server.child.pid);
		if (got.rows !== events) throw new Error(`events.csv gave ${got.rows} rows, expected ${events}`);
		const rate = got.rows / (got.ms / 1000);
		console.log(
			`  GET events.csv over HTTP: ${got.ms.toFixed(0)} ms, ${Math.round(rate).toLocaleString('en')} rows/s = ${(rate / copyRate).toFixed(2)}× the COPY baseline's rate (target ≥ 100,000 rows/s), ${(got.bytes / 1e6).toFixed(1)} MB`,
		);
		console.log(
			`  server RSS: ${got.before.toFixed(0)} MB before, growth ${got.growth.toFixed(1)} MB while streaming (target ≤ 50 MB) = ${(got.growth / (copied.bytes / 1e6)).toFixed(3)}× the file's size`,
		);
	} finally {
		await client.end();
		await server.stop();
		await db.drop();
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
