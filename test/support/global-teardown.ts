import { Client } from 'pg';
import { adminDatabaseUrl } from './env';

/** Drops every database this run created (set KEEP_TEST_DB=1 to look at them afterwards). */
export default async function globalTeardown(): Promise<void> {
	const prefix = process.env.SMS_TRACKING_TEST_DB_PREFIX;
	if (!prefix || process.env.KEEP_TEST_DB) return;
	const admin = new Client({ connectionString: adminDatabaseUrl });
	await admin.connect();
	const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
	for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
	await admin.end();
}
