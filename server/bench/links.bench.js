// Link creation: 10,000 recipients × 2 URLs in ONE HTTP request, against a plain COPY of the same
// rows into a table with the same keys (the bare baseline), measured in the same run.
// Target (docs/operations.md#benchmarks): at least half the rate of the COPY.
const { spawnSync } = require('node:child_process');
const { Client } = require('pg');
const { scratchDatabase, startServer, api, median, size } = require('./support');

const recipientsPerRun = size(10_000, 500);
const urls = ['https://shop.example/sale', 'https://shop.example/terms'];
const runs = size(3, 1);

function recipients(run) {
	return Array.from({ length: recipientsPerRun }, (_, i) => ({ recipient: `+49151${run}${String(i).padStart(7, '0')}`, urls }));
}

async function main() {
	const db = await scratchDatabase('links');
	const server = await startServer({ DATABASE_URL: db.url });
	try {
		const viaApi = [];
		for (let run = 0; run < runs; run++) {
			const campaign = await api(`${server.url}/api/v1/campaigns`, 'POST', { name: `bench ${run}` });
			const body = { recipients: recipients(run) };
			const started = process.hrtime.bigint();
			const res = await api(`${server.url}/api/v1/campaigns/${campaign.id}/links`, 'POST', body);
			viaApi.push(Number(process.hrtime.bigint() - started) / 1e9);
			if (res.links.length !== recipientsPerRun * urls.length) throw new Error('wrong number of links');
		}

		const client = new Client({ connectionString: db.url });
		await client.connect();
		await client.query(`CREATE TABLE copy_baseline (LIKE links INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
		await client.end();
		const viaCopy = [];
		for (let run = 0; run < runs; run++) {
			const lines = [];
			let n = 0;
			for (const r of recipients(run)) for (const [j, url] of urls.entries()) lines.push(`c${run}_${n++}\tcmp_bench\t${r.recipient}\t${url}\t${j}`);
			const started = process.hrtime.bigint();
			const psql = spawnSync('psql', [db.url, '-q', '-c', '\\copy copy_baseline (code, campaign_id, recipient, destination, link_index) FROM STDIN'], { input: lines.join('\n') + '\n' });
			viaCopy.push(Number(process.hrtime.bigint() - started) / 1e9);
			if (psql.status !== 0) throw new Error(`psql COPY failed: ${psql.stderr}`);
		}

		const rows = recipientsPerRun * urls.length;
		const apiRate = rows / median(viaApi);
		const copyRate = rows / median(viaCopy);
		console.log(`links: ${recipientsPerRun} recipients × ${urls.length} URLs = ${rows} links in one request`);
		console.log(`  API (HTTP + validation + set-based insert): median ${median(viaApi).toFixed(2)} s → ${Math.round(apiRate)} links/s`);
		console.log(`  bare COPY of the same rows (psql \\copy):   median ${median(viaCopy).toFixed(2)} s → ${Math.round(copyRate)} rows/s`);
		console.log(`  ratio API / COPY: ${(apiRate / copyRate).toFixed(2)} (target ≥ 0.50)`);
	} finally {
		await server.stop();
		await db.drop();
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
