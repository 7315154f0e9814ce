// Stats on a campaign with 1,000,000 events (100,000 recipients, two variants and a hold-out,
// three links, views, bots, conversions, delivery reports) over a fortnight, beside another
// campaign's 200,000 events, against the bare baseline of counting the same events in SQL, in the
// same run: the whole campaign and date ranges (from the 15-minute rollups plus at most two
// partial slots), and the recipients' filters. Events are seeded with COPY and folded into the
// rollups by stats_fold(), as the server's folder does (which runs meanwhile): the fold's rate is
// reported. `--full`: 10,000,000 events over 50 campaigns of 200,000 events and 3 months, the
// first one measured. BENCH_STATS_MONTHS=12: the events spread over the last 12 months instead of
// a fortnight, each month in a partition of its own (as a server running a year has them), so
// what the fold pays per partition shows.
// Targets (docs/operations.md#benchmarks): stats for any range ≤ 300 ms, folding ≥ 30,000 events/s.
const { Client } = require('pg');
const {
	scratchDatabase,
	startServer,
	api,
	median,
	apiKey,
	size,
	full,
	copyFrom,
	foldAll,
} = require('./support');

const day = 24 * 3600;
const months = Number(process.env.BENCH_STATS_MONTHS || 0);
const start = months
	? Math.floor(Date.now() / 1000 / day - months * 30) * day * 1000 + 8 * 3600 * 1000
	: Date.parse(full ? '2026-09-01T08:00:00Z' : '2026-11-02T08:00:00Z');
const events = full ? 200_000 : size(1_000_000, 20_000);
const recipients = full ? 20_000 : size(100_000, 2_000);
const spanSeconds = (months ? months * 30 : full ? 92 : 14) * day;
/** The other campaigns beside the measured one: [events, recipients] each. */
const others = full
	? Array.from({ length: 49 }, () => [events, recipients])
	: [[events / 5, recipients]];
const runs = Number(process.env.BENCH_RUNS || size(7, 1));
const chunk = 100_000;

const seedPhases = { links: 0, messages: 0, events: 0 };

async function seed(client, campaignId, count, prefix, recipients) {
	let started = Date.now();
	const phase = (name) => {
		seedPhases[name] += Date.now() - started;
		started = Date.now();
	};
	await client.query(
		`INSERT INTO links (code, campaign_id, recipient, destination, link_index, variant)
		 SELECT $2 || r || '_' || l, $1, '+49151' || lpad(r::text, 7, '0'), 'https://shop.example/p' || l, l,
		        CASE WHEN r % 10 < 2 THEN 'holdout' WHEN r % 2 = 0 THEN 'A' ELSE 'B' END
		 FROM generate_series(0, $3 - 1) r, generate_series(0, 2) l`,
		[campaignId, prefix, recipients],
	);
	phase('links');
	await client.query(
		`INSERT INTO messages (campaign_id, recipient, variant, provider, provider_message_id, segments, status, sent_at)
		 SELECT $1, '+49151' || lpad(r::text, 7, '0'),
		        CASE WHEN r % 10 < 2 THEN 'holdout' WHEN r % 2 = 0 THEN 'A' ELSE 'B' END,
		        'seven', $2 || r, 1 + r % 2,
		        CASE WHEN r % 10 < 2 THEN 'holdout' WHEN r % 7 = 0 THEN 'delivered' WHEN r % 97 = 0 THEN 'failed' ELSE 'sent' END,
		        $4::timestamptz
		 FROM generate_series(0, $3 - 1) r`,
		[campaignId, prefix, recipients, new Date(start)],
	);
	phase('messages');
	// COPY in batches of 100,000, as the redirect's group commits write them (the rollup triggers
	// run per statement): the rows are made here, so the database only stores them
	const pick = (xs, g) => xs[g % xs.length];
	for (let from = 1; from <= count; from += chunk) {
		const lines = [];
		for (let g = from; g <= Math.min(from + chunk - 1, count); g++) {
			const r = g % recipients;
			const variant = r % 10 < 2 ? 'holdout' : r % 2 === 0 ? 'A' : 'B';
			const type =
				g % 20 === 0
					? 'view'
					: g % 50 === 1
						? 'bot'
						: g % 25 === 2
							? 'conversion'
							: g % 10 === 3
								? 'delivered'
								: 'click';
			const conversion = g % 25 === 2;
			lines.push(
				[
					prefix + g,
					type,
					// spread evenly over the span, whatever the count
					new Date(start + Math.floor(((g - 1) * spanSeconds) / count) * 1000).toISOString(),
					campaignId,
					'+49151' + String(r).padStart(7, '0'),
					variant,
					'https://shop.example/p' + (g % 3),
					prefix + r + '_' + (g % 3),
					pick(['mobile', 'mobile', 'mobile', 'desktop', 'tablet'], g),
					pick(['iOS', 'Android', 'Android', 'Windows', 'macOS', 'Linux'], g),
					pick(
						['Mobile Safari', 'Chrome', 'Chrome', 'Firefox', 'Samsung Internet', 'Edge', 'Safari'],
						g,
					),
					pick(['DE', 'AT', 'CH', 'FR', 'NL', 'US', 'GB', 'IT'], g),
					conversion ? 'purchase' : '\\N',
					conversion ? ((g % 9000) / 100).toFixed(2) : '\\N',
					conversion ? (g % 11 === 0 ? 'USD' : 'EUR') : '\\N',
					// the send wave of the event's link: a reminder for a share of the events
					g % 7 === 0 ? 'Reminder' : 'Initial',
				].join('\t'),
			);
		}
		await copyFrom(
			client,
			`COPY events (event_key, type, occurred_at, campaign_id, recipient, variant, url, code,
			   device_type, os, browser, country, conversion_name, conversion_value, conversion_currency, wave) FROM STDIN`,
			lines.join('\n') + '\n',
		);
	}
	phase('events');
}

/** The partitions of events a statement's plan reads (the others were pruned when planning). */
async function partitionsRead(client, statement, params) {
	const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${statement}`, params);
	const names = new Set();
	const walk = (node) => {
		if (node['Relation Name']) names.add(node['Relation Name']);
		for (const child of node.Plans || []) walk(child);
	};
	walk(rows[0]['QUERY PLAN'][0].Plan);
	return [...names].sort();
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
		// the months of the span get their partitions, as the server made each when it was current
		// (the migration made only this month's and the next ones; the rest would land in events_default)
		await client.query(
			`SELECT events_create_month_partition(m)
			 FROM generate_series(date_trunc('month', $1::timestamptz, 'UTC'), $2::timestamptz, interval '1 month') m`,
			[new Date(start), new Date(start + spanSeconds * 1000)],
		);
		const [seedMs] = await time(async () => {
			await seed(client, campaign.id, events, 'b', recipients);
			for (const [i, [count, people]] of others.entries()) {
				const other = await api(`${server.url}/api/v1/campaigns`, 'POST', {
					...body,
					name: `other ${i}`,
				});
				await seed(client, other.id, count, `o${i}_`, people);
				if (full) console.error(`  seeded campaign ${i + 2} of ${others.length + 1}`);
			}
			await client.query('VACUUM ANALYZE links, messages, events');
		});
		const stored = events + others.reduce((sum, [count]) => sum + count, 0);
		// what the server's background folder does while the events arrive; it folded some already
		// while they were seeded, so the rate is of the events still queued. Then what autovacuum
		// would do, the queue's dead rows included: every stats request looks into the queue
		const queued = Number(
			(await client.query('SELECT count(*) AS n FROM stats_pending')).rows[0].n,
		);
		const [foldMs] = await time(() => foldAll(client));
		await client.query(
			'VACUUM ANALYZE stats_pending, stats_recipients, stats_urls, stats_dimensions, stats_slots, stats_currencies, stats_recipient_slots, stats_dimension_slots, stats_currency_slots, stats_wave_recipients, stats_slot_cells',
		);

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
		// each figure against counting the same events: the whole campaign, then ranges on slot
		// boundaries (1, 7 and all 14 days) and one that cuts a slot at each end
		const at = (days, time) =>
			new Date(
				Date.parse(new Date(start).toISOString().slice(0, 10) + 'T' + time + 'Z') +
					days * day * 1000,
			)
				.toISOString()
				.replace('.000', '');
		const ranges = [
			['whole campaign (no range)', null, null],
			['1 day', at(3, '00:00:00'), at(4, '00:00:00')],
			['7 days', at(1, '00:00:00'), at(8, '00:00:00')],
			full
				? ['14 days', at(30, '00:00:00'), at(44, '00:00:00')]
				: ['14 days (all)', at(0, '08:00:00'), at(14, '08:00:00')],
			['custom 09:07:13 → 17:52:41', at(2, '09:07:13'), at(7, '17:52:41')],
		];
		const rangeFigures = [];
		const countStatement = `SELECT count(*) FROM events WHERE campaign_id = $1 AND type <> 'bot'
			AND occurred_at >= coalesce($2::timestamptz, '-infinity') AND occurred_at < coalesce($3::timestamptz, 'infinity')`;
		for (const [name, from, to] of ranges) {
			const params = [campaign.id, from, to];
			const count = await measure(() => client.query(countStatement, params));
			const path = from ? `${statsPath}&from=${from}&to=${to}` : statsPath;
			const answer = await measure(() => get(path));
			rangeFigures.push([
				name,
				answer,
				count,
				await partitionsRead(client, countStatement, params),
			]);
		}
		const partitions = (
			await client.query(
				`SELECT count(*) AS n, (SELECT count(*) FROM events_default) AS strays
				 FROM pg_inherits WHERE inhparent = 'events'::regclass`,
			)
		).rows[0];
		const baseline = rangeFigures[0][2];
		const page = await measure(() =>
			get(`/api/v1/campaigns/${campaign.id}/recipients?clicked=true&limit=100`),
		);
		const rare = await measure(() =>
			get(`/api/v1/campaigns/${campaign.id}/recipients?converted=false&variant=holdout&limit=100`),
		);
		const winner = await measure(() =>
			api(`${server.url}/api/v1/campaigns/${campaign.id}/winner`, 'POST', { metric: 'ctr' }),
		);
		const sample = await get(statsPath);
		if (sample.totals.clicks + sample.totals.views + sample.totals.conversions < events * 0.8)
			throw new Error('stats did not see the events');

		console.log(
			`stats: campaign with ${events.toLocaleString('en')} events, ${recipients.toLocaleString('en')} recipients, over ${Math.round(spanSeconds / day)} days (${(await client.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'events'::regclass`)).rows[0].n} partitions), ${stored.toLocaleString('en')} events of ${others.length + 1} campaigns stored (seeded with COPY in ${(seedMs / 1000).toFixed(1)} s: links ${(seedPhases.links / 1000).toFixed(1)} s, messages ${(seedPhases.messages / 1000).toFixed(1)} s, events ${(seedPhases.events / 1000).toFixed(1)} s)`,
		);
		console.log(
			`  folding the ${queued.toLocaleString('en')} events still queued after seeding into the rollups (stats_fold, as the server does; its folder had folded the other ${(stored - queued).toLocaleString('en')} meanwhile): ${(foldMs / 1000).toFixed(1)} s → ${Math.round(queued / (foldMs / 1000))} events/s (target ≥ 30,000)`,
		);
		console.log(
			`  events in ${partitions.n} partitions (events_default holds ${partitions.strays} rows); each count(*) below reads the partitions named`,
		);
		for (const [name, answer, count, read] of rangeFigures) {
			console.log(
				`  GET …/stats ${name.padEnd(28)} median ${answer.toFixed(1).padStart(7)} ms, count(*) of its events ${count.toFixed(1).padStart(6)} ms → ratio ${(answer / count).toFixed(2)} (target ≤ 300 ms) [${read.join(', ')}]`,
			);
		}
		console.log(
			`  baseline for the rest: SELECT count(*) of the campaign's events: median ${baseline.toFixed(1)} ms`,
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
