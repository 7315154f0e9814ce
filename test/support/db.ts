import { Pool } from 'pg';

export type Sql = <T = any>(text: string, values?: unknown[]) => Promise<T[]>;

/** Direct SQL on a test database, for assertions on what the server stored. */
export function connectSql(url: string): { sql: Sql; close(): Promise<void> } {
	const pool = new Pool({ connectionString: url, max: 2 });
	pool.on('error', () => undefined);
	return {
		sql: async (text, values = []) => (await pool.query(text, values)).rows,
		close: () => pool.end(),
	};
}
