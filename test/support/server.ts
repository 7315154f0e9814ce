import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/src/config';
import { startServer, type RunningServer } from '../../server/src/server';
import { createLogger } from '../../server/src/log';
import { connectSql, type Sql } from './db';
import { createTestDatabase } from './env';

export const testApiKey = 'test-api-key-0123456789abcdef';

export interface TestServer extends RunningServer {
	apiKey: string;
	databaseUrl: string;
	/** SQL on this server's database. */
	sql: Sql;
	/** JSON request with the API key; returns status, parsed body and headers. */
	api<T = any>(
		method: string,
		path: string,
		body?: unknown,
		headers?: Record<string, string>,
	): Promise<ApiResponse<T>>;
}

export interface ApiResponse<T> {
	status: number;
	body: T;
	headers: Headers;
}

const running = new Set<RunningServer>();

/**
 * Waits until every server started in this process has loaded its click journal into PostgreSQL
 * (a redirect answers once its click is on local disk; the journal's loader stores it moments later).
 */
export async function journalsLoaded(): Promise<void> {
	await Promise.all([...running].map((server) => server.redirect.recorder.settled()));
}

/**
 * Starts the real server in this process on an ephemeral port, on a fresh database of its own
 * unless env.DATABASE_URL names one (to run several servers on one database).
 * env entries override the environment the server's config.ts reads.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
	const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
	const config = loadConfig({
		PORT: '0',
		HOST: '127.0.0.1',
		DATABASE_URL: databaseUrl,
		API_KEY: testApiKey,
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sms-tracking-test-')),
		LOG_LEVEL: process.env.TEST_LOG_LEVEL || 'silent',
		DATABASE_POOL_SIZE: '4',
		// Every test clicks from 127.0.0.1, load tests thousands of times per code: the per-code
		// recording cap is off unless a test sets it (test/server/redirect/recording-cap.test.ts).
		REDIRECT_RECORD_LIMIT: '0',
		...env,
	});
	const server = await startServer(config, createLogger(config.logLevel));
	const db = connectSql(databaseUrl);
	running.add(server);
	return {
		...server,
		close: async () => {
			running.delete(server);
			await db.close();
			await server.close();
		},
		apiKey: testApiKey,
		databaseUrl,
		sql: db.sql,
		api: (method, urlPath, body, headers = {}) =>
			request(`${server.url}${urlPath}`, method, body, {
				authorization: `Bearer ${testApiKey}`,
				...headers,
			}),
	};
}

export async function request<T = any>(
	url: string,
	method = 'GET',
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
	const init: RequestInit = { method, headers: { ...headers }, redirect: 'manual' };
	if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		(init.headers as Record<string, string>)['content-type'] ??= 'application/json';
	}
	const res = await fetch(url, init);
	const text = await res.text();
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		// not JSON: keep the text
	}
	return { status: res.status, body: parsed as T, headers: res.headers };
}
