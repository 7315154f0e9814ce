#!/usr/bin/env node
// The journal loader (server/src/journal): a backlog of clicks in journal segments shipped into
// PostgreSQL with every index, trigger and webhook outbox row in place (a subscription matches
// every click), against a plain COPY of the same rows into a table of the same columns without
// indexes or triggers, measured in the same run. Also the write side: group-committed appends
// (write + fdatasync) per second from 50 concurrent callers.
// Targets (docs/operations.md#benchmarks): loader ≥ 30,000 events/s; nothing lost, nothing twice.
const { mkdtempSync, writeFileSync, mkdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { createDatabase } = require('../dist/db');
const { migrate } = require('../dist/db/migrate');
const { openJournal } = require('../dist/journal');
const { outboxInsertSql } = require('../dist/webhooks/outbox');
const { createLogger } = require('../dist/log');
const { scratchDatabase, size, copyFrom } = require('./support');

const backlog = Number(process.env.BENCH_LOADER_EVENTS ?? size(200_000, 5_000));
const segmentBytes = 64 * 1024 * 1024;
const userAgent =
	'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

function click(campaignId, i, tag) {
	const id = `${tag}${String(i).padStart(12, '0')}`;
	return {
		eventKey: `click_${id}`,
		type: 'click',
		occurredAt: new Date(),
		campaignId,
		code: 'Ab3dE7xQ',
		recipient: `+49151${String(i % 100000).padStart(8, '0')}`,
		url: 'https://shop.example/sale',
		clickId: id,
		userAgent,
		deviceType: 'mobile',
		os: 'Android',
		browser: 'Chrome',
		country: 'DE',
		ipHash: 'h'.repeat(43),
	};
}

/** Writes `count` clicks as journal segments of DATA_DIR, as the writer would have left them. */
function writeSegments(dataDir, campaignId, count, tag) {
	const dir = path.join(dataDir, 'journal');
	mkdirSync(dir, { recursive: true });
	let seq = 1;
	let chunk = [];
	let bytes = 0;
	const flush = () => {
		writeFileSync(path.join(dir, `${String(seq++).padStart(12, '0')}.jsonl`), chunk.join(''));
		chunk = [];
		bytes = 0;
	};
	for (let i = 0; i < count; i++) {
		const line = JSON.stringify(click(campaignId, i, tag)) + '\n';
		chunk.push(line);
		bytes += line.length;
		if (bytes >= segmentBytes) flush();
	}
	if (chunk.length) flush();
}

const copyText = (events) =>
	events
		.map(
			(e) =>
				[
					e.eventKey,
					e.type,
					e.occurredAt.toISOString(),
					e.campaignId,
					e.code,
					e.recipient,
					e.url,
					e.clickId,
					e.userAgent,
					e.deviceType,
					e.os,
					e.browser,
					e.country,
					e.ipHash,
				].join('\t') + '\n',
		)
		.join('');

async function main() {
	const scratch = await scratchDatabase('loader');
	const log = createLogger('warn');
	const db = createDatabase(scratch.url, 4, log);
	const sql = new Client({ connectionString: scratch.url });
	let failed = false;
	try {
		await migrate(scratch.url, log);
		await sql.connect();
		await sql.query(`INSERT INTO campaigns (id, name) VALUES ('cmp_bench', 'loader bench')`);
		await sql.query(
			`INSERT INTO webhook_subscriptions (id, url, secret, events) VALUES ('whs_bench', 'http://127.0.0.1:9/hook', 'whsec_x', '{click}')`,
		);

		// The loader: segments on disk, then a journal opened on them loads everything.
		const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-bench-loader-'));
		writeSegments(dataDir, 'cmp_bench', backlog, 'L');
		const started = process.hrtime.bigint();
		const journal = openJournal({
			dataDir,
			db,
			log,
			segmentBytes,
			loaderBatchSize: 5000,
			retryMs: 200,
		});
		await journal.settled();
		const loaderSeconds = Number(process.hrtime.bigint() - started) / 1e9;
		await journal.close(5000);
		const [{ events }] = (await sql.query(`SELECT count(*)::int AS events FROM events`)).rows;

		// The baseline: COPY of the same rows into a bare table of the same columns.
		await sql.query(
			`CREATE TABLE bench_plain (event_key text, type text, occurred_at timestamptz, campaign_id text, code text, recipient text, url text, click_id text, user_agent text, device_type text, os text, browser text, country text, ip_hash text)`,
		);
		const rows = Array.from({ length: backlog }, (_, i) => click('cmp_bench', i, 'C'));
		const copyStarted = process.hrtime.bigint();
		for (let i = 0; i < rows.length; i += 50_000) {
			await copyFrom(
				sql,
				'COPY bench_plain (event_key, type, occurred_at, campaign_id, code, recipient, url, click_id, user_agent, device_type, os, browser, country, ip_hash) FROM STDIN',
				copyText(rows.slice(i, i + 50_000)),
			);
		}
		const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;

		// The alternative the loader could take: COPY each batch into a staging table, then one
		// INSERT … SELECT into events with the same outbox statement, per transaction.
		const columns =
			'event_key, type, occurred_at, campaign_id, code, recipient, url, click_id, user_agent, device_type, os, browser, country, ip_hash';
		await sql.query(`CREATE TEMP TABLE bench_staging (LIKE bench_plain)`);
		const staged = Array.from({ length: backlog }, (_, i) => click('cmp_bench', i, 'S'));
		const stagingStarted = process.hrtime.bigint();
		for (let i = 0; i < staged.length; i += 5000) {
			await sql.query('BEGIN');
			await sql.query('TRUNCATE bench_staging');
			await copyFrom(
				sql,
				`COPY bench_staging (${columns}) FROM STDIN`,
				copyText(staged.slice(i, i + 5000)),
			);
			await sql.query(
				`WITH inserted AS (INSERT INTO events (${columns}) SELECT ${columns} FROM bench_staging ON CONFLICT DO NOTHING RETURNING id, event_key, type, occurred_at, campaign_id, code, recipient, variant, url, conversion_name, wave), outbox AS (${outboxInsertSql('inserted')}) SELECT count(*) FROM inserted`,
			);
			await sql.query('COMMIT');
		}
		const stagingSeconds = Number(process.hrtime.bigint() - stagingStarted) / 1e9;
		const [{ viaStaging }] = (
			await sql.query(
				`SELECT count(*)::int AS "viaStaging" FROM events WHERE event_key LIKE 'click_S%'`,
			)
		).rows;

		// The write side: 50 callers appending one click each, again and again, for a while.
		const writeDir = mkdtempSync(path.join(tmpdir(), 'sms-bench-journal-'));
		const writing = openJournal({
			dataDir: writeDir,
			db,
			log,
			segmentBytes,
			loaderBatchSize: 5000,
			retryMs: 200,
		});
		const appends = size(20_000, 1_000);
		let next = 0;
		const appendStarted = process.hrtime.bigint();
		await Promise.all(
			Array.from({ length: 50 }, async () => {
				while (next < appends) await writing.append([click('cmp_bench', next++, 'W')]);
			}),
		);
		const appendSeconds = Number(process.hrtime.bigint() - appendStarted) / 1e9;
		await writing.settled();
		await writing.close(10_000);
		const [{ deliveries }] = (
			await sql.query(
				`SELECT count(*)::int AS deliveries FROM webhook_deliveries WHERE event_id IN (SELECT id FROM events WHERE event_key LIKE 'click_L%' OR event_key LIKE 'click_S%')`,
			)
		).rows;
		const [{ written }] = (
			await sql.query(`SELECT count(*)::int AS written FROM events WHERE event_key LIKE 'click_W%'`)
		).rows;

		const loaderRate = backlog / loaderSeconds;
		const copyRate = backlog / copySeconds;
		console.log(
			`loader: a ${backlog}-click backlog in journal segments, 5000 lines per transaction`,
		);
		console.log(
			`  journal → events + outbox, every index and trigger: ${loaderSeconds.toFixed(2)} s → ${Math.round(loaderRate)} events/s (target ≥ 30000) ${loaderRate >= 30_000 ? 'meets target' : 'BELOW TARGET'}`,
		);
		console.log(
			`  plain COPY of the same rows into a bare table:      ${copySeconds.toFixed(2)} s → ${Math.round(copyRate)} rows/s`,
		);
		console.log(`  ratio loader / plain COPY: ${(loaderRate / copyRate).toFixed(2)}`);
		console.log(
			`  alternative, COPY into a staging table + INSERT … SELECT with the outbox: ${stagingSeconds.toFixed(2)} s → ${Math.round(backlog / stagingSeconds)} events/s (${viaStaging} stored)`,
		);
		console.log(
			`  events stored by the loader ${events} of ${backlog}; webhook deliveries of the loader's and the staging's events ${deliveries} of ${2 * backlog}`,
		);
		console.log(
			`journal appends from 50 concurrent callers (write + fdatasync, group commit): ${Math.round(appends / appendSeconds)} appends/s; loaded ${written} of ${appends}`,
		);
		failed =
			events !== backlog ||
			deliveries !== 2 * backlog ||
			written !== appends ||
			viaStaging !== backlog;
		if (failed) console.log('LOST OR DOUBLED EVENTS');
	} finally {
		await sql.end().catch(() => undefined);
		await db.close();
		await scratch.drop();
	}
	if (failed) process.exitCode = 1;
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
