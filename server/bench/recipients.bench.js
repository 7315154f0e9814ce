// Segments: GET …/recipients on a campaign of 1,000,000 recipients (10 % hold-out, 1 % failed,
// 5 % clickers on iOS or Android in several countries, conversions, views, a few recent clicks),
// each filter against the bare baseline of reading all of the campaign's recipient rows once
// (SELECT count(*) of its stats_recipients), in the same run: the time of the first page of 1,000
// over HTTP, and the database pages its query touches (EXPLAIN ANALYZE BUFFERS, the same on any
// machine). A filter answered from an index touches a page's worth of rows, not the campaign. A
// range (from/to) reads each listed recipient's events in it.
// Target (docs/operations.md#benchmarks): every filter's pages a small fraction of the full read.
const path = require('node:path');
const { Client } = require('pg');
const { scratchDatabase, startServer, api, median, apiKey, size } = require('./support');

const dist = path.join(__dirname, '..', 'dist', 'stats');
const { recipientsSql } = require(path.join(dist, 'recipients.js'));
const { parseRecipientsQuery } = require(path.join(dist, 'segment.js'));

const recipients = size(1_000_000, 20_000);
const runs = Number(process.env.BENCH_RUNS || size(7, 1));
const chunk = 200_000;

async function seed(client, campaignId) {
	const phone = `'+49151' || lpad(r::text, 8, '0')`;
	const variant = `CASE WHEN r % 10 = 0 THEN 'holdout' WHEN r % 2 = 0 THEN 'A' ELSE 'B' END`;
	for (let from = 0; from < recipients; from += chunk) {
		const to = Math.min(from + chunk, recipients) - 1;
		await client.query(
			`INSERT INTO links (code, campaign_id, recipient, destination, variant)
			 SELECT 'r' || r, $1, ${phone}, 'https://shop.example/p' || (r % 3), ${variant}
			 FROM generate_series($2::int, $3::int) r`,
			[campaignId, from, to],
		);
		await client.query(
			`INSERT INTO messages (campaign_id, recipient, variant, provider, provider_message_id, segments, status, sent_at)
			 SELECT $1, ${phone}, ${variant}, 'seven', CASE WHEN r % 10 <> 0 THEN 'm' || r END, 1,
			        CASE WHEN r % 10 = 0 THEN 'holdout' WHEN r % 97 = 0 THEN 'failed' WHEN r % 3 = 0 THEN 'delivered' ELSE 'sent' END,
			        now() - interval '10 days'
			 FROM generate_series($2::int, $3::int) r`,
			[campaignId, from, to],
		);
		// clickers: every 20th recipient and one hold-out in twenty, two clicks each; one in a
		// thousand clicked within the last hour, the others ten days ago
		await client.query(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, variant, url, click_id, device_type, os, browser, country)
			 SELECT 'c' || r || '_' || n, 'click',
			        CASE WHEN r % 1000 = 5 THEN now() - interval '1 hour' ELSE now() - interval '10 days' END + n * interval '1 minute',
			        $1, 'r' || r, ${phone}, ${variant}, 'https://shop.example/p' || (r % 3), 'k' || r || '_' || n,
			        CASE WHEN r % 20 = 5 THEN 'mobile' ELSE 'desktop' END,
			        CASE WHEN r % 40 = 5 THEN 'Android' WHEN r % 20 = 5 THEN 'iOS' ELSE 'Windows' END, 'Chrome',
			        CASE WHEN r % 3 = 0 THEN 'DE' ELSE 'AT' END
			 FROM generate_series($2::int, $3::int) r, generate_series(0, 1) n
			 WHERE r % 20 = 5 OR r % 200 = 10`,
			[campaignId, from, to],
		);
		await client.query(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, variant, url, conversion_name)
			 SELECT 'v' || r, CASE WHEN r % 100 = 5 THEN 'conversion' ELSE 'view' END, now() - interval '9 days',
			        $1, 'r' || r, ${phone}, ${variant}, 'https://shop.example/p' || (r % 3),
			        CASE WHEN r % 100 = 5 THEN 'purchase' END
			 FROM generate_series($2::int, $3::int) r
			 WHERE r % 100 = 5 OR r % 15 = 1`,
			[campaignId, from, to],
		);
	}
	while ((await client.query('SELECT stats_fold(100000) AS n')).rows[0].n > 0);
	await client.query(
		'VACUUM ANALYZE links, messages, events, stats_recipients, stats_recipient_traits',
	);
}

async function time(fn) {
	const started = process.hrtime.bigint();
	await fn();
	return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main() {
	const db = await scratchDatabase('recipients');
	const server = await startServer({ DATABASE_URL: db.url });
	const client = new Client({ connectionString: db.url });
	await client.connect();
	try {
		const campaign = await api(`${server.url}/api/v1/campaigns`, 'POST', {
			name: 'segments bench',
			variants: [{ name: 'A' }, { name: 'B' }],
			holdout: 0.1,
		});
		const seedMs = await time(() => seed(client, campaign.id));
		const measure = async (fn) => {
			await fn(); // warm-up
			const times = [];
			for (let i = 0; i < runs; i++) times.push(await time(fn));
			return median(times);
		};
		const baselineSql = [
			'SELECT count(*) FROM stats_recipients WHERE campaign_id = $1',
			[campaign.id],
		];
		const baseline = await measure(() => client.query(...baselineSql));
		/** Database pages (8 kB) the statement touches, in shared buffers or read. */
		const pagesOf = async (text, params) => {
			const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, params))
				.rows[0]['QUERY PLAN'][0];
			return plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'];
		};
		const baselinePages = await pagesOf(...baselineSql);
		const headers = { authorization: `Bearer ${apiKey}` };
		const page = async (query) => {
			const res = await fetch(
				`${server.url}/api/v1/campaigns/${campaign.id}/recipients?limit=1000&${query}`,
				{ headers },
			);
			if (!res.ok) throw new Error(`${query}: ${res.status} ${await res.text()}`);
			return (await res.json()).recipients.length;
		};
		const since = (days) => encodeURIComponent(new Date(Date.now() - days * 86_400_000).toISOString());
		const segments = [
			'',
			'status=failed',
			'status=holdout',
			'status=delivered',
			'holdout=exclude',
			'variant=A',
			'clicked=true',
			'clicked=false',
			'viewed=true',
			'converted=true',
			'os=android&country=DE&converted=false&holdout=exclude',
			'deviceType=mobile&clicked=true',
			`url=${encodeURIComponent('https://shop.example/p1')}`,
			'clickedWithinHours=24',
			'notClickedWithinHours=24',
			// a range: the page's figures and what recipients did, from their events in it
			`from=${since(30)}`,
			`from=${since(30)}&clicked=true`,
			`from=${since(2)}&clicked=false`,
		];
		console.log(
			`recipients: campaign with ${recipients.toLocaleString('en')} recipients (seeded and folded in ${(seedMs / 1000).toFixed(1)} s); first page of 1,000`,
		);
		console.log(
			`  baseline: SELECT count(*) of the campaign's recipient rows: median ${baseline.toFixed(1)} ms, ${baselinePages} pages`,
		);
		for (const query of segments) {
			const found = await page(query);
			if (found === 0) throw new Error(`${query}: an empty segment measures nothing`);
			const ms = await measure(() => page(query));
			const sql = recipientsSql(
				campaign.id,
				parseRecipientsQuery(Object.fromEntries(new URLSearchParams(`${query}&limit=1000`))),
			);
			const pages = await pagesOf(sql.text, sql.params);
			console.log(
				`  ${(query || '(no filter)').padEnd(56)} ${String(found).padStart(5)} rows, median ${ms.toFixed(1).padStart(7)} ms → ratio ${(ms / baseline).toFixed(2)}; ${String(pages).padStart(6)} pages → ratio ${(pages / baselinePages).toFixed(3)}`,
			);
		}
	} finally {
		await client.end();
		await server.stop();
		if (process.env.BENCH_KEEP_DB) console.log(`  kept database ${db.url}`);
		else await db.drop();
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
