import { escapeLiteral, Pool, type PoolClient, type QueryResultRow } from 'pg';
import type { Logger } from '../log';
import { copyRows, type BinaryRow } from './copy-rows';

export type { BinaryRow } from './copy-rows';

/**
 * The only importer of 'pg'. Routes and capabilities never see the pool: they call query() or
 * withTransaction(), and get a Queryable inside a transaction.
 */
export interface Queryable {
	/** `name` makes it a prepared statement, parsed and planned once per connection (for hot statements). */
	query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[], name?: string): Promise<{ rows: R[]; rowCount: number }>;
}

/** A Queryable inside a transaction. */
export interface Transaction extends Queryable {
	/**
	 * `COPY (text) TO STDOUT (FORMAT binary)` in this transaction: each row handed to `onRow` as
	 * it arrives (see copy-rows.ts), for results of large bytea values. COPY takes no bind
	 * parameters: `values` are written into the statement as literals.
	 */
	copyRows(text: string, values: unknown[], onRow: (row: BinaryRow) => void): Promise<void>;
	/**
	 * Runs `work` on a second connection, in a read-only transaction that sees exactly this one's
	 * snapshot (this transaction must be REPEATABLE READ), while this one goes on: two statements
	 * of one answer run at once. When the pool has no connection to spare (so that requests never
	 * wait on each other for a second one) and on the embedded database, `work` runs here instead.
	 * This transaction must not end before `work` has.
	 */
	alongside<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
}

export interface Database extends Queryable {
	withTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
	/** A dedicated connection for LISTEN or advisory locks; release it when done. */
	connect(): Promise<PoolClient>;
	ping(): Promise<boolean>;
	/**
	 * Runs `COPY (query) TO STDOUT WITH (FORMAT csv)` and hands PostgreSQL's output to `sink` in
	 * chunks (see copyOut below). timeZone is the session's for the COPY (what a timestamptz cast
	 * to timestamp is local to; UTC by default).
	 */
	copyCsv(query: string, params: unknown[], sink: CopySink, timeZone?: string): Promise<void>;
	/** The pool's connections (open, idle) and the queries waiting for one. */
	poolStats(): { total: number; idle: number; waiting: number };
	close(): Promise<void>;
	readonly connectionString: string;
}

/** Where copyCsv writes: write() returns false when the reader is behind; drained() resolves once it caught up (false: it went away). */
export interface CopySink {
	write(chunk: Buffer): boolean;
	drained(): Promise<boolean>;
}

/** The longest a CSV export may stream (a slow reader of a big file), instead of the statement timeout. */
const copyTimeoutMs = 3_600_000;

/** Chunks handed to a CopySink: PostgreSQL sends one message per row, the sink gets about this many bytes at once. */
const copyChunkBytes = 64 * 1024;

/**
 * A parameter of a COPY statement as an SQL literal: COPY takes no bind parameters, so they are
 * written into the statement, strings through pg's escapeLiteral.
 */
function literal(value: unknown): string {
	if (value === null || value === undefined) return 'NULL';
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (value instanceof Date) return escapeLiteral(value.toISOString());
	if (typeof value === 'string') return escapeLiteral(value);
	throw new Error(`each parameter must be a string, number, boolean, date or null (they are written into the statement); got ${typeof value}`);
}

/** A statement with its parameters $1, $2 … written in as literals. */
function withLiterals(query: string, params: unknown[]): string {
	return query.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

/**
 * COPY … TO STDOUT on a dedicated connection, in a read-only transaction with ISO dates (and the
 * time zone asked for: casting to timestamp in the session's zone costs PostgreSQL less per row
 * than AT TIME ZONE with a zone's name, which looks the zone up for every value). PostgreSQL
 * writes the CSV itself (quoting included); the rows are never parsed here. When the sink is
 * behind, the connection's socket is paused, so PostgreSQL waits on TCP instead of this process
 * buffering the result: memory stays at a chunk or two whatever the size. A sink that goes away
 * ends the connection, which cancels the COPY.
 */
async function copyOut(
	client: PoolClient,
	query: string,
	params: unknown[],
	sink: CopySink,
	timeZone: string,
): Promise<void> {
	const statement = withLiterals(query, params);
	const socket = (client as unknown as { connection: { stream: NodeJS.ReadableStream } }).connection.stream;
	await client.query(
		`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL statement_timeout = ${copyTimeoutMs}; SET LOCAL TimeZone = ${escapeLiteral(timeZone)}`,
	);
	await new Promise<void>((resolve, reject) => {
		// pg hands each row as a view into its read buffer, which it reuses: rows are copied into a
		// chunk of our own before anything keeps them.
		let chunk = Buffer.allocUnsafe(copyChunkBytes);
		let used = 0;
		let failed = false;
		const send = (data: Buffer) => {
			if (failed || sink.write(data)) return;
			socket.pause();
			void sink.drained().then((alive) => {
				if (alive) socket.resume();
				else {
					failed = true;
					reject(new Error('the reader of the CSV went away'));
				}
			});
		};
		const flush = () => {
			if (used === 0) return;
			const full = chunk.subarray(0, used);
			chunk = Buffer.allocUnsafe(copyChunkBytes);
			used = 0;
			send(full);
		};
		const add = (row: Buffer) => {
			if (used + row.length > copyChunkBytes) flush();
			if (row.length > copyChunkBytes) return send(Buffer.from(row));
			row.copy(chunk, used);
			used += row.length;
		};
		client.query({
			// pg's client-side read timeout would end a long download that is making progress
			query_timeout: copyTimeoutMs + 1_000,
			submit(connection: { query(text: string): void }) {
				connection.query(`COPY (${statement}) TO STDOUT WITH (FORMAT csv)`);
			},
			handleCopyData(msg: { chunk: Buffer }) {
				add(msg.chunk);
			},
			handleCommandComplete() {
				flush();
			},
			handleError(this: { callback?: (err: Error | null) => void }, err: Error) {
				this.callback?.(err); // clears pg's read timer
				if (!failed) reject(err);
			},
			handleReadyForQuery(this: { callback?: (err: Error | null) => void }) {
				this.callback?.(null);
				if (!failed) resolve();
			},
		} as never);
	});
	await client.query('COMMIT');
}

/** PostgreSQL error codes the capabilities react to. */
export const pgErrors = {
	uniqueViolation: '23505',
	foreignKeyViolation: '23503',
	serializationFailure: '40001',
	deadlockDetected: '40P01',
	/** A NUL character in text ('\u0000' in JSON, %00 in a path): PostgreSQL text cannot hold one. */
	characterNotInRepertoire: '22021',
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
		// 'Query read timeout': the client-side limit (createDatabase) gave up on a database that does not answer.
		/Connection terminated|connection timeout|Client has encountered a connection error|Query read timeout/i.test(message)
	);
}

export interface PoolOptions {
	/** false: the embedded PostgreSQL (below). */
	preparedStatements?: boolean;
	/** Longest a statement may run; 0: no limit. */
	statementTimeoutMs?: number;
	/** Shown in pg_stat_activity. */
	name?: string;
}

/**
 * `preparedStatements: false` ignores statement names: the embedded PostgreSQL multiplexes every
 * pool connection onto one backend session, where two connections preparing the same name collide
 * (and where a per-connection statement_timeout would be one setting for every pool, so there
 * only the client-side limit applies).
 *
 * The statement timeout is enforced twice: by PostgreSQL (statement_timeout: a slow statement or
 * a lock wait is cancelled, the connection stays usable), and a little later by the client
 * (query_timeout: a database that does not answer at all, e.g. stopped or partitioned away, fails
 * the query and its connection is discarded), so no caller waits on a hung database for ever.
 */
export function createDatabase(connectionString: string, poolSize: number, log: Logger, opts: PoolOptions = {}): Database {
	const embedded = opts.preparedStatements === false;
	const statementName = (name: string | undefined) => (embedded ? undefined : name);
	const timeoutMs = opts.statementTimeoutMs ?? 0;
	const pool = new Pool({
		connectionString,
		max: poolSize,
		connectionTimeoutMillis: 5_000,
		idleTimeoutMillis: 30_000,
		application_name: opts.name ?? 'sms-tracking',
		...(timeoutMs > 0 && !embedded ? { statement_timeout: timeoutMs } : {}),
		...(timeoutMs > 0 ? { query_timeout: embedded ? timeoutMs : timeoutMs + 1_000 } : {}),
	});
	// An idle client losing its connection (database restart) must not crash the process.
	pool.on('error', (err) => log.warn('idle database connection lost', { err }));
	// A connection lost while checked out fails its query; the client's 'error' event, emitted
	// besides (even after a caller stopped listening), must not crash the process either.
	pool.on('connect', (client) => client.on('error', (err) => log.debug('database connection lost', { err })));

	const transactionOn = (client: PoolClient): Transaction => {
		// One statement at a time on the connection: work run alongside on this same connection
		// (no spare one) waits its turn here rather than in pg's own queue, which is deprecated.
		let turn: Promise<unknown> = Promise.resolve();
		const inTurn = <T>(statement: () => Promise<T>): Promise<T> => {
			const result = turn.then(statement, statement);
			turn = result.catch(() => undefined);
			return result;
		};
		const tx: Transaction = {
			async query(text, values, name) {
				const result = await inTurn(() =>
					client.query({ text, values: values as unknown[], name: statementName(name) }),
				);
				return { rows: result.rows, rowCount: result.rowCount ?? 0 };
			},
			copyRows: (text, values, onRow) => inTurn(() => copyRows(client, withLiterals(text, values), onRow)),
			async alongside(work) {
				const spare = pool.waitingCount === 0 && (pool.idleCount > 0 || pool.totalCount < poolSize);
				if (embedded || !spare) return work(tx);
				const { rows } = await tx.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
				return inTransaction(
					`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${escapeLiteral(rows[0].id)}`,
					work,
				);
			},
		};
		return tx;
	};

	async function inTransaction<T>(begin: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
		const client = await pool.connect();
		try {
			await client.query(begin);
			const result = await work(transactionOn(client));
			await client.query('COMMIT');
			client.release();
			return result;
		} catch (err) {
			// A lost or unanswering connection is discarded: its transaction dies with it.
			if (isConnectionError(err)) client.release(err as Error);
			else {
				await client.query('ROLLBACK').catch(() => undefined);
				client.release();
			}
			throw err;
		}
	}

	const query: Queryable['query'] = async (text, values, name) => {
		const result = await pool.query({ text, values: values as unknown[], name: statementName(name) });
		return { rows: result.rows, rowCount: result.rowCount ?? 0 };
	};

	return {
		connectionString,
		query,
		withTransaction: (work) => inTransaction('BEGIN', work),
		connect: () => pool.connect(),
		async ping() {
			try {
				await pool.query('SELECT 1');
				return true;
			} catch {
				return false;
			}
		},
		async copyCsv(query, params, sink, timeZone = 'UTC') {
			const client = await pool.connect();
			try {
				await copyOut(client, query, params, sink, timeZone);
				client.release();
			} catch (err) {
				// Mid-COPY the connection cannot be reused: discarding it also cancels the statement.
				client.release(err as Error);
				throw err;
			}
		},
		poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
		close: () => pool.end(),
	};
}
