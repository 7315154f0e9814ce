import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../server/src/db/migrate';
import { createLogger } from '../../server/src/log';

/** Where the tests find PostgreSQL: TEST_DATABASE_URL, else the local server on 127.0.0.1:5432. */
export const adminDatabaseUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, database: string): string {
	const parsed = new URL(url);
	parsed.pathname = `/${database}`;
	return parsed.toString();
}

function runSetting(name: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run the tests through jest (its global setup migrates the template database)`);
	return value;
}

/**
 * A fresh, migrated database of its own, copied from the run's template (fast), so tests never
 * see each other's rows. Dropped with the others in global teardown.
 */
export async function createTestDatabase(): Promise<string> {
	const template = runSetting('SMS_TRACKING_TEST_DB_TEMPLATE');
	const name = `${runSetting('SMS_TRACKING_TEST_DB_PREFIX')}_${randomBytes(4).toString('hex')}`;
	const admin = new Client({ connectionString: adminDatabaseUrl });
	await admin.connect();
	try {
		for (let attempt = 0; ; attempt++) {
			try {
				await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
				break;
			} catch (err) {
				// Two copies of one template at the same instant: PostgreSQL asks one to wait.
				if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
				await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
			}
		}
	} finally {
		await admin.end();
	}
	return withDatabase(adminDatabaseUrl, name);
}

/**
 * A database of its own migrated up to before `migration` (a number such as '032'), as a database
 * of an earlier release has it: for testing a migration on data. Dropped with the others in global
 * teardown (its name has the run's prefix).
 */
export async function databaseMigratedBefore(migration: string): Promise<string> {
	const name = `${runSetting('SMS_TRACKING_TEST_DB_PREFIX')}_m${migration}_${randomBytes(3).toString('hex')}`;
	const admin = new Client({ connectionString: adminDatabaseUrl });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const url = withDatabase(adminDatabaseUrl, name);
	await migrate(url, createLogger('error'), { before: migration });
	return url;
}
