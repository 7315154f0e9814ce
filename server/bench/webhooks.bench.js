// Webhook dispatch: a backlog of events delivered by the server's dispatcher (claim with SKIP
// LOCKED, sign, POST, record) to a local receiver, against the bare baseline of a plain loop of
// signed POSTs to the same receiver with the same concurrency, measured in the same run.
// Then the lag from an event's commit to its arrival when the dispatcher is not saturated.
// Targets (design section 12): ≥ 2,000 deliveries/s; p99 lag < 1 s when not saturated.
const { createHmac, randomBytes } = require('node:crypto');
const http = require('node:http');
const { Client } = require('pg');
const { insertEvents } = require('../dist/events/store');
const { scratchDatabase, startServer, api, median } = require('./support');

const backlog = Number(process.env.BENCH_WEBHOOKS ?? 20_000);
const concurrency = 64;
const runs = 3;

function startReceiver() {
	let onRequest = () => undefined;
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			res.end();
			onRequest(req.headers['webhook-id']);
		});
	});
	server.keepAliveTimeout = 60_000;
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({
				url: `http://127.0.0.1:${server.address().port}/hook`,
				/** Resolves with each id's arrival time once `count` requests arrived. */
				expect(count) {
					const arrivals = new Map();
					return new Promise((done) => {
						onRequest = (id) => {
							arrivals.set(id, process.hrtime.bigint());
							if (arrivals.size === count) done(arrivals);
						};
					});
				},
				close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
			}),
		),
	);
}

/** The bare baseline: `count` signed POSTs, `concurrency` at a time, over keep-alive connections. */
async function plainLoop(url, count) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const key = randomBytes(32);
	const body = Buffer.from(JSON.stringify({ id: '1', type: 'click', campaignId: 'cmp_bench', recipient: '+4915112345678', url: 'https://shop.example/sale', shortUrl: 'https://go.example/Ab3dE7xQ', code: 'Ab3dE7xQ', variant: null, clickId: 'x'.repeat(20), device: { type: 'mobile', os: 'iOS', browser: 'Safari' }, country: 'DE' }));
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const id = `msg_${next++}`;
			const ts = Math.floor(Date.now() / 1000);
			const sig = 'v1,' + createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest('base64');
			await new Promise((resolve, reject) => {
				const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig } }, (res) => {
					res.resume();
					res.on('end', resolve);
				});
				req.on('error', reject);
				req.end(body);
			});
		}
	};
	const started = process.hrtime.bigint();
	await Promise.all(Array.from({ length: concurrency }, worker));
	agent.destroy();
	return Number(process.hrtime.bigint() - started) / 1e9;
}

function events(campaignId, code, n, tag) {
	return Array.from({ length: n }, (_, i) => ({ eventKey: `${tag}-${i}`, type: 'click', occurredAt: new Date(), campaignId, code, clickId: `${tag}${i}`, deviceType: 'mobile', os: 'iOS', browser: 'Safari', country: 'DE' }));
}

async function main() {
	const db = await scratchDatabase('webhooks');
	const server = await startServer({ DATABASE_URL: db.url, WEBHOOK_CONCURRENCY: String(concurrency), PUBLIC_BASE_URL: 'https://go.example' });
	const receiver = await startReceiver();
	const client = new Client({ connectionString: db.url });
	await client.connect();
	// insertEvents names its statement (a third argument, which a bare pg Client takes for a callback).
	const queryable = { query: (text, values) => client.query(text, values) };
	try {
		const campaign = await api(`${server.url}/api/v1/campaigns`, 'POST', { name: 'webhook bench' });
		const { links } = await api(`${server.url}/api/v1/campaigns/${campaign.id}/links`, 'POST', { recipients: [{ recipient: '+4915112345678', urls: ['https://shop.example/sale'] }] });
		await api(`${server.url}/api/v1/webhooks`, 'POST', { url: receiver.url, events: ['click'], campaignId: campaign.id });

		const viaDispatcher = [];
		const viaLoop = [];
		for (let run = 0; run < runs; run++) {
			// Timed from the commit of the events (and their outbox rows): what follows is dispatch alone.
			const arrived = receiver.expect(backlog);
			await insertEvents(queryable, events(campaign.id, links[0].code, backlog, `r${run}`));
			const started = process.hrtime.bigint();
			await arrived;
			viaDispatcher.push(Number(process.hrtime.bigint() - started) / 1e9);

			const looped = receiver.expect(backlog);
			viaLoop.push(await plainLoop(receiver.url, backlog));
			await looped;
		}
		const [{ missing }] = (await client.query(`SELECT count(*)::int AS missing FROM webhook_deliveries WHERE status <> 'delivered'`)).rows;

		// Lag when not saturated: 200 events, one every 10 ms, each timed from its commit to its arrival.
		const lags = [];
		for (let i = 0; i < 200; i++) {
			const arrived = receiver.expect(1);
			const started = process.hrtime.bigint();
			await insertEvents(queryable, events(campaign.id, links[0].code, 1, `lag${i}`));
			const [at] = (await arrived).values();
			lags.push(Number(at - started) / 1e6);
			await new Promise((r) => setTimeout(r, 10));
		}
		lags.sort((a, b) => a - b);

		const dispatchRate = backlog / median(viaDispatcher);
		const loopRate = backlog / median(viaLoop);
		console.log(`webhooks: ${runs} runs of a ${backlog}-event backlog, concurrency ${concurrency}`);
		console.log(`  dispatcher (claim, build payload, sign, POST, record): median ${median(viaDispatcher).toFixed(2)} s → ${Math.round(dispatchRate)} deliveries/s (target ≥ 2000)`);
		console.log(`  bare loop of signed POSTs to the same receiver:        median ${median(viaLoop).toFixed(2)} s → ${Math.round(loopRate)} requests/s`);
		console.log(`  ratio dispatcher / bare loop: ${(dispatchRate / loopRate).toFixed(2)}`);
		console.log(`  deliveries not delivered after the runs: ${missing}`);
		console.log(`  lag commit → arrival, not saturated: p50 ${lags[100].toFixed(1)} ms, p99 ${lags[197].toFixed(1)} ms, max ${lags[199].toFixed(1)} ms (target p99 < 1000 ms)`);
	} finally {
		await client.end();
		await receiver.close();
		await server.stop();
		await db.drop();
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
