// The campaign list with KPIs: GET /campaigns/kpis?limit=50 over 5,000 campaigns of 1 to 199
// recipients (about 500,000 recipient rows), by each sort, first page and the page after it,
// against the bare baseline of reading every campaign's recipient rows once (counting the
// clickers of stats_recipients), in the same run; with the database pages each statement touches (EXPLAIN
// ANALYZE BUFFERS, the same on any machine). By date or name a page reads a page's campaigns and
// their recipient rows; by a figure, every listed campaign's rows once: about the baseline.
const path = require('node:path');
const { Client } = require('pg');
const { scratchDatabase, startServer, median, apiKey, size, foldAll } = require('./support');

const dist = path.join(__dirname, '..', 'dist', 'reports');
const { campaignPageSql, figureSortedSql, figuresSql } = require(path.join(dist, 'campaign-kpis.sql.js'));

const campaigns = size(5_000, 200);
const runs = Number(process.env.BENCH_RUNS || size(7, 1));

async function seed(client) {
	// created an hour apart, every second with a cost, one in ten archived
	await client.query(
		`INSERT INTO campaigns (id, name, created_at, cost_per_segment, currency, archived_at)
		 SELECT 'cmp_bench' || lpad(c::text, 6, '0'), 'Campaign ' || c, now() - c * interval '1 hour',
		        CASE WHEN c % 2 = 0 THEN 0.05 END, 'EUR', CASE WHEN c % 10 = 0 THEN now() END
		 FROM generate_series(1, $1::int) c`,
		[campaigns],
	);
	const each = `FROM generate_series(1, $1::int) c, generate_series(1, c % 200) r`;
	const phone = `'+49151' || lpad(c::text, 5, '0') || lpad(r::text, 3, '0')`;
	for (let from = 1; from <= campaigns; from += 1000) {
		const range = [Math.min(from + 999, campaigns)];
		const only = `AND c >= ${from}`;
		await client.query(
			`INSERT INTO links (code, campaign_id, recipient, destination)
			 SELECT 'c' || c || 'r' || r, 'cmp_bench' || lpad(c::text, 6, '0'), ${phone}, 'https://shop.example/p'
			 ${each} WHERE true ${only}`,
			range,
		);
		await client.query(
			`INSERT INTO messages (campaign_id, recipient, provider, provider_message_id, segments, status)
			 SELECT 'cmp_bench' || lpad(c::text, 6, '0'), ${phone}, 'seven', 'm' || c || 'r' || r, 1 + r % 2, 'sent'
			 ${each} WHERE r % 5 <> 0 ${only}`,
			range,
		);
		// clickers: one in (3 + c % 17) recipients, so the campaigns' CTRs differ; a converter in fifty
		await client.query(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, url, click_id, conversion_name, conversion_value, conversion_currency)
			 SELECT 'e' || c || 'r' || r, CASE WHEN r % 50 = 1 THEN 'conversion' ELSE 'click' END, now() - interval '1 day',
			        'cmp_bench' || lpad(c::text, 6, '0'), 'c' || c || 'r' || r, ${phone}, 'https://shop.example/p',
			        CASE WHEN r % 50 <> 1 THEN 'k' || c || 'r' || r END,
			        CASE WHEN r % 50 = 1 THEN 'purchase' END, CASE WHEN r % 50 = 1 THEN 10 + c % 40 END, CASE WHEN r % 50 = 1 THEN 'EUR' END
			 ${each} WHERE (r % (3 + c % 17) = 0 OR r % 50 = 1) ${only}`,
			range,
		);
	}
	await foldAll(client);
	await client.query('VACUUM ANALYZE campaigns, links, messages, stats_recipients');
}

async function time(fn) {
	const started = process.hrtime.bigint();
	await fn();
	return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main() {
	const db = await scratchDatabase('campaign_list');
	const server = await startServer({ DATABASE_URL: db.url });
	const client = new Client({ connectionString: db.url });
	await client.connect();
	try {
		const seedMs = await time(() => seed(client));
		const rows = (await client.query('SELECT count(*)::int AS n FROM stats_recipients')).rows[0].n;
		const measure = async (fn) => {
			await fn(); // warm-up
			const times = [];
			for (let i = 0; i < runs; i++) times.push(await time(fn));
			return median(times);
		};
		const pagesOf = async ([text, params]) => {
			const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, params)).rows[0]['QUERY PLAN'][0];
			return plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'];
		};
		const baselineSql = ['SELECT count(*) FILTER (WHERE clicks > 0) FROM stats_recipients', []];
		const baseline = await measure(() => client.query(...baselineSql));
		const baselinePages = await pagesOf(baselineSql);
		const headers = { authorization: `Bearer ${apiKey}` };
		const get = async (query) => {
			const res = await fetch(`${server.url}/api/v1/campaigns/kpis?limit=50&${query}`, { headers });
			if (!res.ok) throw new Error(`${query}: ${res.status} ${await res.text()}`);
			return res.json();
		};
		console.log(
			`campaign-list: ${campaigns.toLocaleString('en')} campaigns, ${rows.toLocaleString('en')} recipient rows (seeded and folded in ${(seedMs / 1000).toFixed(1)} s); pages of 50`,
		);
		console.log(`  baseline: counting the clickers of every recipient row: median ${baseline.toFixed(1)} ms, ${baselinePages} pages`);
		const defaults = { limit: 50, status: 'active', search: undefined, createdFrom: undefined, createdTo: undefined, cursor: undefined };
		for (const [sort, order, filter] of [
			['createdAt', 'desc', ''],
			['name', 'asc', ''],
			['recipients', 'desc', ''],
			['ctr', 'desc', ''],
			['roi', 'desc', ''],
			['ctr', 'desc', 'status=archived'],
			['revenue', 'desc', 'search=campaign 12'],
		]) {
			const query = `sort=${sort}&order=${order}${filter ? `&${filter}` : ''}`;
			const first = await get(query);
			if (first.campaigns.length === 0) throw new Error(`${query}: an empty list measures nothing`);
			const firstMs = await measure(() => get(query));
			const nextMs = first.nextCursor ? await measure(() => get(`${query}&cursor=${first.nextCursor}`)) : NaN;
			const params = Object.fromEntries(new URLSearchParams(filter));
			const q = { ...defaults, ...params, sort, order };
			const pages =
				sort === 'createdAt' || sort === 'name'
					? (await pagesOf(campaignPageSql(q, undefined))) + (await pagesOf(figuresSql(first.campaigns.map((c) => c.id))))
					: await pagesOf(figureSortedSql(q, undefined));
			console.log(
				`  ${query.padEnd(40)} first page ${firstMs.toFixed(1)} ms (${(firstMs / baseline).toFixed(2)}× baseline), next ${nextMs.toFixed(1)} ms; statements ${pages} pages (${(pages / baselinePages).toFixed(2)}× baseline)`,
			);
		}
		const [text, params] = figureSortedSql({ ...defaults, sort: 'ctr', order: 'desc' }, undefined);
		const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) ${text}`, params)).rows.map((r) => r['QUERY PLAN']);
		console.log(`  plan of sort=ctr:\n    ${plan.join('\n    ')}`);
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
