#!/usr/bin/env node
// Makes sure what the test suite needs is there before jest starts: a PostgreSQL that answers,
// and Debian's Chromium for the browser tests (installed once here, never by parallel test files).
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { Client } = require('pg');

const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const chromium = '/usr/bin/chromium';

async function ensurePostgres() {
	const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
	try {
		await client.connect();
		await client.end();
	} catch (err) {
		console.error(`PostgreSQL does not answer at ${url}: ${err.message}`);
		console.error('Start one (bash .ci/ensure-postgres.sh installs and starts one) or set TEST_DATABASE_URL.');
		process.exit(1);
	}
}

function ensureChromium() {
	if (existsSync(chromium)) return;
	if (process.getuid?.() !== 0) {
		console.error(`${chromium} is missing: install Debian's chromium package (sudo apt-get install -y chromium).`);
		process.exit(1);
	}
	console.log("Installing Debian's chromium for the browser tests …");
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
}

ensurePostgres().then(ensureChromium);
