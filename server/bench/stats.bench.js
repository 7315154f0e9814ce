// Stats on a campaign with 1,000,000 events (100,000 recipients, two variants and a hold-out,
// three links, views, bots, conversions, delivery reports), beside another campaign's 200,000
// events, against the bare baseline of counting the same campaign's events in SQL, in the same run.
// Target (docs/operations.md#benchmarks): stats ≤ 300 ms.
const { Client } = require('pg');
const { scratchDatabase, startServer, api, median, apiKey, size } = require('./support');

const events = size(1_000_000, 20_000);
const recipients = size(100_000, 2_000);
const runs = Number(process.env.BENCH_RUNS || size(7, 1));
const chunk = 100_000;

async function seed(client, campaignId, count, prefix) {
	await client.query(
		`INSERT INTO links (code, campaign_id, recipient, destination, link_index, variant)
		 SELECT $2 || r || '_' || l, $1, '+49151' || lpad(r::text, 7, '0'), 'https://shop.example/p' || l, l,
		        CASE WHEN r % 10 < 2 THEN 'holdout' WHEN r % 2 = 0 THEN 'A' ELSE 'B' END
		 FROM generate_series(0, $3 - 1) r, generate_series(0, 2) l`,
		[campaignId, prefix, recipients],
	);
	await client.query(
		`INSERT INTO messages (campaign_id, recipient, variant, provider, provider_message_id, segments, status, sent_at)
		 SELECT $1, '+49151' || lpad(r::text, 7, '0'),
		        CASE WHEN r % 10 < 2 THEN 'holdout' WHEN r % 2 = 0 THEN 'A' ELSE 'B' END,
		        'seven', $2 || r, 1 + r % 2,
		        CASE WHEN r % 10 < 2 THEN 'holdout' WHEN r % 7 = 0 THEN 'delivered' WHEN r % 97 = 0 THEN 'failed' ELSE 'sent' END,
		        timestamptz '2026-11-02 08:00Z'
		 FROM generate_series(0, $3 - 1) r`,
		[campaignId, prefix, recipients],
	);
	// in batches of 100,000, as the redirect's group commits write them (the rollup triggers run per batch)
	for (let from = 1; from <= count; from += chunk) {
		await client.query(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient, variant, url, code,
		   device_type, os, browser, country, conversion_name, conversion_value, conversion_currency)
		 SELECT $2 || g,
		        CASE WHEN g % 20 = 0 THEN 'view' WHEN g % 50 = 1 THEN 'bot' WHEN g % 25 = 2 THEN 'conversion'
		             WHEN g % 10 = 3 THEN 'delivered' ELSE 'click' END,
		        timestamptz '2026-11-02 08:00Z' + (g % 1209600) * interval '1 second',
		        $1, '+49151' || lpad((g % $4)::text, 7, '0'),
		        CASE WHEN (g % $4) % 10 < 2 THEN 'holdout' WHEN (g % $4) % 2 = 0 THEN 'A' ELSE 'B' END,
		        'https://shop.example/p' || (g % 3), $2 || (g % $4) || '_' || (g % 3),
		        (ARRAY['mobile', 'mobile', 'mobile', 'desktop', 'tablet'])[1 + g % 5],
		        (ARRAY['iOS', 'Android', 'Android', 'Windows', 'macOS', 'Linux'])[1 + g % 6],
		        (ARRAY['Mobile Safari', 'Chrome', 'Chrome', 'Firefox', 'Samsung Internet', 'Edge', 'Safari'])[1 + g % 7],
		        (ARRAY['DE', 'AT', 'CH', 'FR', 'NL', 'US', 'GB', 'IT'])[1 + g % 8],
		        CASE WHEN g % 25 = 2 THEN 'purchase' END,
		        CASE WHEN g % 25 = 2 THEN (g % 9000) / 100.0 END,
		        CASE WHEN g % 25 = 2 THEN (CASE WHEN g % 11 = 0 THEN 'USD' ELSE 'EUR' END) END
		 FROM generate_series($3::int, $5::int) g`,
			[campaignId, prefix, from, recipients, Math.min(from + chunk - 1, count)],
		);
	}
}

async function time(fn) {
	const started = process.hrtime.bigint();
	const result = await fn();
	return [Number(process.hrtime.bigint() - started) / 1e6, result];
}

let campaignIdForDebug;

async function main() {
	const db = await scratchDatabase('stats');
	const server = await startServer({ DATABASE_URL: db.url });
	const client = new Client({ connectionString: db.url });
	await client.connect();
	try {
		const body = {
			name: 'bench',
			variants: [{ name: 'A' }, { name: 'B' }],
			holdout: 0.2,
			costPerSegment: 0.07,
			currency: 'EUR',
		};
		const campaign = await api(`${server.url}/api/v1/campaigns`, 'POST', body);
		campaignIdForDebug = campaign.id;
		const other = await api(`${server.url}/api/v1/campaigns`, 'POST', { ...body, name: 'other' });
		const [seedMs] = await time(async () => {
			await seed(client, campaign.id, events, 'b');
			await seed(client, other.id, events / 5, 'o');
			await client.query('VACUUM ANALYZE links, messages, events');
		});
		// what the server's background folder does while the events arrive
		const [foldMs] = await time(async () => {
			while ((await client.query('SELECT stats_fold(50000) AS n')).rows[0].n > 0);
			await client.query(
				'VACUUM ANALYZE stats_recipients, stats_urls, stats_dimensions, stats_slots, stats_currencies',
			);
		});

		const headers = { authorization: `Bearer ${apiKey}` };
		const get = async (path) => {
			const res = await fetch(`${server.url}${path}`, { headers });
			if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
			return res.json();
		};
		const statsPath = `/api/v1/campaigns/${campaign.id}/stats?timeZone=Europe/Berlin`;
		const measure = async (fn) => {
			await fn(); // warm-up
			const times = [];
			for (let i = 0; i < runs; i++) times.push((await time(fn))[0]);
			return median(times);
		};
		const baseline = await measure(() =>
			client.query("SELECT count(*) FROM events WHERE campaign_id = $1 AND type <> 'bot'", [
				campaign.id,
			]),
		);
		const stats = await measure(() => get(statsPath));
		const page = await measure(() =>
			get(`/api/v1/campaigns/${campaign.id}/recipients?clicked=true&limit=100`),
		);
		const rare = await measure(() =>
			get(`/api/v1/campaigns/${campaign.id}/recipients?converted=false&variant=holdout&limit=100`),
		);
		const winner = await measure(() =>
			api(`${server.url}/api/v1/campaigns/${campaign.id}/winner`, 'POST', { metric: 'ctr' }),
		);
		// last: they read the events and evict the rollups from the cache
		const oneDay = await measure(() =>
			get(`${statsPath}&from=2026-11-05T00:00:00Z&to=2026-11-06T00:00:00Z`),
		);
		const fromEvents = await measure(() => get(`${statsPath}&from=2000-01-01&to=2100-01-01`));
		const sample = await get(statsPath);
		if (sample.totals.clicks + sample.totals.views + sample.totals.conversions < events * 0.8)
			throw new Error('stats did not see the events');

		console.log(
			`stats: campaign with ${events.toLocaleString('en')} events, ${recipients.toLocaleString('en')} recipients (seeded in ${(seedMs / 1000).toFixed(1)} s)`,
		);
		console.log(
			`  folding ${(events * 1.2).toLocaleString('en')} events into the rollups: ${(foldMs / 1000).toFixed(1)} s → ${Math.round((events * 1.2) / (foldMs / 1000))} events/s`,
		);
		console.log(`  baseline SELECT count(*) of its events: median ${baseline.toFixed(1)} ms`);
		console.log(
			`  GET …/stats (whole campaign, rollups):   median ${stats.toFixed(1)} ms → ratio ${(stats / baseline).toFixed(2)} × the count (target ≤ 300 ms)`,
		);
		console.log(
			`  GET …/stats for one day of the 14:      median ${oneDay.toFixed(1)} ms → ratio ${(oneDay / baseline).toFixed(2)}`,
		);
		console.log(
			`  GET …/stats?from=&to= over all 14 days:  median ${fromEvents.toFixed(1)} ms → ratio ${(fromEvents / baseline).toFixed(2)}`,
		);
		console.log(
			`  GET …/recipients?clicked=true&limit=100: median ${page.toFixed(1)} ms → ratio ${(page / baseline).toFixed(2)}`,
		);
		console.log(
			`  GET …/recipients?converted=false&variant=holdout: median ${rare.toFixed(1)} ms → ratio ${(rare / baseline).toFixed(2)}`,
		);
		console.log(
			`  POST …/winner:                           median ${winner.toFixed(1)} ms → ratio ${(winner / baseline).toFixed(2)}`,
		);
	} finally {
		await client.end();
		await server.stop();
		if (process.env.BENCH_KEEP_DB)
			console.log(`  kept database ${db.url} (campaign ${campaignIdForDebug})`);
		else await db.drop();
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
