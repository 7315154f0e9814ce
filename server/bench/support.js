// Shared by the benchmarks: a scratch database and the built server in its own process.
const { spawn } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { Client } = require('pg');

const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const apiKey = 'bench-api-key-0123456789abcdef';

/**
 * `npm run bench -- --quick` (run by CI): every bench at a small size, so none can rot. A quick run
 * fails on errors and lost events, never on figures (they mean nothing at that size).
 */
const quick = process.env.BENCH_QUICK === '1';
/** `npm run bench -- --full`: the large sizes of the benches that have them (never in CI). */
const full = process.env.BENCH_FULL === '1' && !quick;
const size = (full, small) => (quick ? small : full);

function withDatabase(url, name) {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

async function scratchDatabase(tag) {
	const name = `sms_tracking_bench_${tag}_${Date.now().toString(36)}`;
	const admin = new Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	return {
		url: withDatabase(adminUrl, name),
		async drop() {
			const c = new Client({ connectionString: adminUrl });
			await c.connect();
			await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await c.end();
		},
	};
}

function startServer(env) {
	const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'main.js')], {
		// REDIRECT_RECORD_LIMIT off: the load comes from one address and every click must be stored.
		env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', API_KEY: apiKey, LOG_LEVEL: 'warn', REDIRECT_RECORD_LIMIT: '0', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sms-bench-')), ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	return new Promise((resolve, reject) => {
		const onData = (d) => {
			out += d;
			const m = /ready at (http:\/\/\S+)/.exec(out);
			if (m) resolve({ url: m[1], child, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) });
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
	});
}

async function api(url, method, body) {
	const res = await fetch(url, { method, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
	if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
	return res.json();
}

/**
 * `COPY … FROM STDIN` with node-postgres and no extra package: a submittable query (pg calls its
 * handlers) that sends `text` (rows in COPY's text format) once the server asks for the data.
 * One statement per call, so statement-level triggers run once per call, as for a group commit.
 */
function copyFrom(client, statement, text) {
	return new Promise((resolve, reject) => {
		client.query({
			submit(connection) {
				connection.query(statement);
			},
			handleCopyInResponse(connection) {
				connection.sendCopyFromChunk(Buffer.from(text));
				connection.endCopyFrom();
			},
			handleCommandComplete() {},
			// pg forgets the query on an error (no readyForQuery reaches it)
			handleError: reject,
			handleReadyForQuery: resolve,
		});
	});
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Folds the stats queue until it is empty, as the server's background folder would: a batch the
 * server's own folder holds is skipped by stats_fold(), not done, so an empty answer alone does
 * not mean an empty queue.
 */
async function foldAll(client, batch = 50000) {
	const pending = async () =>
		(await client.query('SELECT EXISTS (SELECT FROM stats_pending) AS any')).rows[0].any;
	while ((await client.query('SELECT stats_fold($1) AS n', [batch])).rows[0].n > 0 || (await pending()));
}

module.exports = { size, full, scratchDatabase, startServer, api, median, apiKey, copyFrom, foldAll };
