#!/usr/bin/env node
// Makes sure what the test suite needs is there before jest starts: a PostgreSQL that answers.
// (.ci/run does the same on a machine where none runs yet.)
const { Client } = require('pg');

const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function main() {
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

main();
