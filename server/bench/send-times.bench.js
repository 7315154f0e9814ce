// Send-time optimisation for a 1,000,000-recipient audience (2,000,000 clicks over four weeks,
// recipients in Germany, the US and the UK, so three time zones): POST /api/v1/send-times for
// every recipient, 10,000 per call as the node asks, against the bare baseline of reading the
// same recipients' precomputed rows (recipient_click_hours, migration 027) by the primary key, in
// the same run.
// Target (docs/operations.md#benchmarks): the whole audience's best hours ≤ 2 s.
const { Client } = require('pg');
const { scratchDatabase, startServer, api, median, size, copyFrom, foldAll } = require('./support');

const recipients = size(1_000_000, 20_000);
const clicksPerRecipient = 2;
const perCall = 10_000;
const runs = Number(process.env.BENCH_RUNS || size(3, 1));
const chunk = 200_000;
const fourWeeksSeconds = 28 * 24 * 3600;

const phone = (r) =>
	['+49151', '+1212', '+44770'][r % 3] + String(Math.floor(r / 3)).padStart(7, '0');

async function seed(client, campaignId) {
	const clicks = recipients * clicksPerRecipient;
	const base = Date.parse('2026-10-01T00:00:00Z');
	for (let from = 0; from < clicks; from += chunk) {
		const lines = [];
		for (let g = from; g < Math.min(from + chunk, clicks); g++) {
			const r = g % recipients;
			// each recipient clicks at an hour of its own, so best hours differ
			const day = Math.floor(((g * 7919) % fourWeeksSeconds) / 86_400);
			const at = base + day * 86_400_000 + ((r % 24) * 3600 + (g % 3600)) * 1000;
			lines.push(['s' + g, 'click', new Date(at).toISOString(), campaignId, phone(r)].join('\t'));
		}
		await copyFrom(
			client,
			'COPY events (event_key, type, occurred_at, campaign_id, recipient) FROM STDIN',
			lines.join('\n') + '\n',
		);
	}
}

async function time(fn) {
	const started = process.hrtime.bigint();
	const result = await fn();
	return [Number(process.hrtime.bigint() - started) / 1e6, result];
}

async function main() {
	const db = await scratchDatabase('send_times');
	const server = await startServer({ DATABASE_URL: db.url });
	const client = new Client({ connectionString: db.url });
	await client.connect();
	try {
		const campaign = await api(`${server.url}/api/v1/campaigns`, 'POST', { name: 'bench' });
		const [seedMs] = await time(() => seed(client, campaign.id));
		const [foldMs] = await time(async () => {
			await foldAll(client);
			// as autovacuum would after the burst: the emptied queue is scanned by every fold
			await client.query(
				'VACUUM ANALYZE stats_pending, stats_recipient_slots, stats_slots, recipient_click_hours',
			);
		});

		const batches = [];
		for (let from = 0; from < recipients; from += perCall)
			batches.push(
				Array.from({ length: Math.min(perCall, recipients - from) }, (_, i) => phone(from + i)),
			);
		const sendTimes = (batch) =>
			api(`${server.url}/api/v1/send-times`, 'POST', { recipients: batch, minClicks: 2 });
		const bare = (batch) =>
			client.query(
				'SELECT recipient, zone, best_hour, clicks FROM recipient_click_hours WHERE recipient = ANY($1::text[])',
				[batch],
			);
		const whole = async (fn) => {
			await fn(batches[0]); // warm-up
			const times = [];
			for (let i = 0; i < runs; i++)
				times.push(
					(
						await time(async () => {
							for (const batch of batches) await fn(batch);
						})
					)[0],
				);
			return median(times);
		};

		const sample = await sendTimes(batches[0]);
		const own = sample.recipients.filter((r) => r.source === 'recipient').length;
		if (own !== batches[0].length)
			throw new Error(`only ${own} of ${batches[0].length} recipients had their own hour`);
		for (const r of sample.recipients.slice(0, 3)) {
			// the seed puts recipient r's clicks at r % 24 UTC
			const expected = Number(
				new Intl.DateTimeFormat('en-GB', {
					timeZone: r.timeZone,
					hour: '2-digit',
					hourCycle: 'h23',
				}).format(new Date(Date.UTC(2026, 9, 15, batches[0].indexOf(r.recipient) % 24))),
			);
			if (Math.abs(r.hour - expected) > 1)
				throw new Error(`${r.recipient}: hour ${r.hour}, expected about ${expected}`);
		}
		const answerMs = await whole(sendTimes);
		const bareMs = await whole(bare);
		const [audienceMs] = await time(() =>
			api(`${server.url}/api/v1/send-times`, 'POST', {
				recipients: [phone(0)],
				campaignId: campaign.id,
			}),
		);

		console.log(
			`send-times: ${recipients.toLocaleString('en')} recipients, ${(recipients * clicksPerRecipient).toLocaleString('en')} clicks (seeded in ${(seedMs / 1000).toFixed(1)} s, folded in ${(foldMs / 1000).toFixed(1)} s)`,
		);
		console.log(
			`  every recipient's best hour, ${batches.length} calls of ≤ ${perCall.toLocaleString('en')}: median ${answerMs.toFixed(0)} ms (target ≤ 2,000 ms); the same recipients' precomputed rows alone ${bareMs.toFixed(0)} ms → ratio ${(answerMs / bareMs).toFixed(2)}`,
		);
		console.log(
			`  the audience's best hour alone (one call, one recipient): ${audienceMs.toFixed(1)} ms`,
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
