import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import type { Logger } from '../log';

/**
 * The only importer of 'pg'. Routes and capabilities never see the pool: they call query() or
 * withTransaction(), and get a Queryable inside a transaction.
 */
export interface Queryable {
	/** `name` makes it a prepared statement, parsed and planned once per connection (for hot statements). */
	query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[], name?: string): Promise<{ rows: R[]; rowCount: number }>;
}

export interface Database extends Queryable {
	withTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
	/** A dedicated connection for LISTEN or advisory locks; release it when done. */
	connect(): Promise<PoolClient>;
	ping(): Promise<boolean>;
	close(): Promise<void>;
	readonly connectionString: string;
}

/** PostgreSQL error codes the capabilities react to. */
export const pgErrors = {
	uniqueViolation: '23505',
	foreignKeyViolation: '23503',
	serializationFailure: '40001',
} as const;

export function isPgError(err: unknown, code: string): boolean {
	return typeof err === 'object' && err !== null && (err as { code?: string }).code === code;
}

/** Whether an error means the database could not be reached at all (as opposed to a rejected query). */
export function isConnectionError(err: unknown): boolean {
	const code = (err as { code?: string } | undefined)?.code ?? '';
	const message = (err as { message?: string } | undefined)?.message ?? '';
	return (
		['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P02', '57P03', '08006', '08001', '08003'].includes(code) ||
		/Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)
	);
}

/**
 * `preparedStatements: false` ignores statement names: the embedded PostgreSQL multiplexes every
 * pool connection onto one backend session, where two connections preparing the same name collide.
 */
export function createDatabase(connectionString: string, poolSize: number, log: Logger, opts: { preparedStatements?: boolean } = {}): Database {
	const statementName = (name: string | undefined) => (opts.preparedStatements === false ? undefined : name);
	const pool = new Pool({
		connectionString,
		max: poolSize,
		connectionTimeoutMillis: 5_000,
		idleTimeoutMillis: 30_000,
		application_name: 'sms-tracking',
	});
	// An idle client losing its connection (database restart) must not crash the process.
	pool.on('error', (err) => log.warn('idle database connection lost', { err }));
	// A connection lost while checked out fails its query; the client's 'error' event, emitted
	// besides (even after a caller stopped listening), must not crash the process either.
	pool.on('connect', (client) => client.on('error', (err) => log.debug('database connection lost', { err })));

	const query: Queryable['query'] = async (text, values, name) => {
		const result = await pool.query({ text, values: values as unknown[], name: statementName(name) });
		return { rows: result.rows, rowCount: result.rowCount ?? 0 };
	};

	return {
		connectionString,
		query,
		async withTransaction(work) {
			const client = await pool.connect();
			const tx: Queryable = {
				async query(text, values, name) {
					const result = await client.query({ text, values: values as unknown[], name: statementName(name) });
					return { rows: result.rows, rowCount: result.rowCount ?? 0 };
				},
			};
			try {
				await client.query('BEGIN');
				const result = await work(tx);
				await client.query('COMMIT');
				client.release();
				return result;
			} catch (err) {
				await client.query('ROLLBACK').catch(() => undefined);
				client.release(isConnectionError(err) ? (err as Error) : undefined);
				throw err;
			}
		},
		connect: () => pool.connect(),
		async ping() {
			try {
				await pool.query('SELECT 1');
				return true;
			} catch {
				return false;
			}
		},
		close: () => pool.end(),
	};
}
