import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { startProcess, waitFor, type Started } from './processes';

const repoRoot = path.resolve(__dirname, '../../..');
const adminUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TrackingServer {
	url: string;
	apiKey: string;
	process: Started;
	/** The tracking server's own API, as a user's script would call it. */
	api<T = any>(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: T }>;
	/** SQL on the server's database, for what no API does (make a delivered webhook due again). */
	sql<T = any>(text: string, values?: unknown[]): Promise<T[]>;
	stop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/** Drops databases that runs killed before their clean-up left behind (older than an hour). */
async function dropStaleDatabases(client: Client): Promise<void> {
	const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'sms\\_e2e\\_%'");
	for (const { datname } of rows) {
		const created = parseInt(datname.split('_')[2] ?? '', 36);
		if (Number.isFinite(created) && Date.now() - created > 3_600_000) {
			await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
		}
	}
}

/**
 * Runs the built server (server/dist/main.js, as `npm start` does) on a fresh PostgreSQL database
 * of its own, which it migrates at boot; the database is dropped again at stop. `extraEnv` adds
 * settings a scenario file needs (a Twilio auth token, the shop's origin).
 */
export async function startTrackingServer(logDir: string, extraEnv: Record<string, string> = {}): Promise<TrackingServer> {
	const database = `sms_e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
	await admin(async (c) => {
		await dropStaleDatabases(c);
		await c.query(`CREATE DATABASE ${database}`);
	});
	const databaseUrl = new URL(adminUrl);
	databaseUrl.pathname = `/${database}`;
	const apiKey = `sk_e2e_${randomBytes(18).toString('hex')}`;
	const proc = startProcess({
		name: 'tracking-server',
		command: process.execPath,
		args: [path.join(repoRoot, 'server/dist/main.js')],
		env: {
			PATH: process.env.PATH ?? '',
			HOST: '127.0.0.1',
			PORT: '0',
			DATABASE_URL: databaseUrl.toString(),
			API_KEY: apiKey,
			LOG_LEVEL: 'info',
			// as a CDN or proxy in front of the server would give it (visit.ts sets it per click)
			COUNTRY_HEADER: 'cf-ipcountry',
			DATA_DIR: path.join(logDir, 'tracking-data'),
			...extraEnv,
		},
		logDir,
	});
	const stop = async () => {
		await proc.stop();
		await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).catch(() => undefined);
	};
	let url: string;
	try {
		url = await waitFor(
			'the tracking server to listen',
			() => {
				if (proc.exited()) throw new Error(`the tracking server exited:\n${proc.output()}`);
				return /ready at (http:\/\/\S+)/.exec(proc.output())?.[1];
			},
			30_000,
			100,
		);
	} catch (err) {
		await stop();
		throw err;
	}
	return {
		url,
		apiKey,
		process: proc,
		sql: async (text, values = []) => {
			const client = new Client({ connectionString: databaseUrl.toString(), connectionTimeoutMillis: 5000 });
			await client.connect();
			try {
				return (await client.query(text, values)).rows;
			} finally {
				await client.end();
			}
		},
		api: async (method, apiPath, body) => {
			const res = await fetch(url + apiPath, {
				method,
				headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await res.text();
			return { status: res.status, body: text ? JSON.parse(text) : undefined };
		},
		stop,
	};
}
