import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../log';

/** Directory of the numbered SQL migrations (server/migrations), from src/ or dist/. */
export const migrationsDir = path.resolve(__dirname, '..', '..', 'migrations');

/**
 * Applies every pending migration; with `before` (a number such as '028'), only those numbered
 * below it, as a database of an earlier release had them. node-pg-migrate takes an advisory lock,
 * so several instances starting together apply each migration once.
 */
export async function migrate(
	connectionString: string,
	log: Logger,
	{ before }: { before?: string } = {},
): Promise<void> {
	const count =
		before === undefined
			? Infinity
			: readdirSync(migrationsDir).filter((f) => /^\d+_.*\.sql$/.test(f) && f < before).length;
	const applied = await runner({
		databaseUrl: connectionString,
		dir: migrationsDir,
		direction: 'up',
		migrationsTable: 'schema_migrations',
		count,
		singleTransaction: true,
		checkOrder: true,
		log: () => undefined,
		logger: {
			debug: () => undefined,
			info: () => undefined,
			warn: (m: string) => log.warn(m),
			// Our migrations are numbered (001_…), not timestamped; the library says so and then
			// orders them by that number, which is what we want.
			error: (m: string) => (/determine timestamp/.test(m) ? undefined : log.error(m)),
		},
	});
	if (applied.length) log.info('migrations applied', { migrations: applied.map((m) => m.name) });
}
