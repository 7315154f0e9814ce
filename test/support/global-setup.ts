import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../server/src/db/migrate';
import { createLogger } from '../../server/src/log';
import { adminDatabaseUrl, withDatabase } from './env';

/**
 * Migrates one template database for this run; each test server then gets its own copy of it
 * (see createTestDatabase), so parallel test files and parallel runs never share rows.
 */
export default async function globalSetup(): Promise<void> {
	const prefix = `smstest_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
	const template = `${prefix}_template`;
	const admin = new Client({ connectionString: adminDatabaseUrl, connectionTimeoutMillis: 5000 });
	try {
		await admin.connect();
	} catch (err) {
		throw new Error(`PostgreSQL does not answer at ${adminDatabaseUrl} (${(err as Error).message}). Start one or set TEST_DATABASE_URL.`);
	}
	await admin.query(`CREATE DATABASE ${template}`);
	await admin.end();
	await migrate(withDatabase(adminDatabaseUrl, template), createLogger('warn'));
	process.env.SMS_TRACKING_TEST_DB_PREFIX = prefix;
	process.env.SMS_TRACKING_TEST_DB_TEMPLATE = template;
}
