import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { AppConfig, Config } from './config';
import { createDatabase, type Database } from './db';
import { startEmbeddedPostgres } from './db/embedded';
import { migrate } from './db/migrate';
import { createCodeGenerator } from './links/codes';
import { createLiveFeed, type LiveFeed } from './live/feed';
import { createLogger, type Logger } from './log';
import { startDispatcher, type Dispatcher } from './webhooks/dispatcher';
import { createRedirect, type Redirect } from './redirect';
import { startRollupFolder } from './stats/rollup-folder';

export interface RunningServer {
	url: string;
	port: number;
	db: Database;
	log: Logger;
	config: AppConfig;
	/** The redirect's cache, recorder and spool (for operations and tests). */
	redirect: Redirect;
	/** This process's webhook dispatcher; absent with WEBHOOK_DISPATCHER=off. */
	webhookDispatcher?: Dispatcher;
	/** This process's live dashboard streams. */
	live: LiveFeed;
	/** Graceful stop: no new connections, in-flight requests finish, background work flushes. */
	close(): Promise<void>;
}

/** Boots the whole server: database (embedded or external), migrations, app, listener. */
export async function startServer(config: Config, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
	const closers: Array<() => Promise<void>> = [];
	const runClosers = async () => {
		for (const close of closers.reverse()) {
			await close().catch((err) => log.error('shutdown step failed', { err }));
		}
	};

	try {
		let connectionString = config.databaseUrl;
		if (!connectionString) {
			const embedded = await startEmbeddedPostgres(config.dataDir, config.databasePoolSize);
			closers.push(() => embedded.stop());
			connectionString = embedded.connectionString;
			log.info('embedded PostgreSQL started', { dataDir: config.dataDir });
		}
		await migrate(connectionString, log);
		const db = createDatabase(connectionString, config.databasePoolSize, log, { preparedStatements: Boolean(config.databaseUrl) });
		closers.push(() => db.close());
		closers.push(startRollupFolder(db, log));
		// Runs before db.close and after the HTTP server drained: answered redirects' events are stored.
		const started: { redirect?: Redirect } = {};
		closers.push(async () => started.redirect?.close());

		// Listen first so that, without PUBLIC_BASE_URL, short links can use the actual port.
		let handler: RequestListener = (_req, res) => res.writeHead(503).end();
		const server: Server = createServer((req, res) => handler(req, res));
		server.keepAliveTimeout = 65_000;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(config.port, config.host, () => resolve());
		});
		closers.push(() => closeHttpServer(server, config.shutdownTimeoutMs));

		const port = (server.address() as AddressInfo).port;
		const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
		const effective: AppConfig = { ...config, publicBaseUrl: config.publicBaseUrl ?? url };
		const redirect = (started.redirect = createRedirect({ config: effective, db, log }));
		const live = createLiveFeed(db, log, { maxConnections: config.liveMaxConnections, heartbeatMs: config.liveHeartbeatMs });
		// Runs before the HTTP server closes: open streams never finish by themselves.
		closers.push(() => live.close());
		const app = createApp({
			config: effective,
			db,
			log,
			nextCode: createCodeGenerator(config.codeLength),
			linksChanged: () => redirect.links.clear(),
			live,
		});
		// Events a crash or an outage left in the spool go in before the first request is served.
		await redirect.recorder.replaySpool().catch((err) => log.warn('spool replay deferred: database unreachable', { err }));
		// GET|HEAD /<code> is answered on plain node:http; everything else goes to Express.
		handler = (req, res) => {
			if (!redirect.handle(req, res)) app(req, res);
		};
		const webhookDispatcher = config.webhookDispatcher
			? startDispatcher(db, log, {
					concurrency: config.webhookConcurrency,
					subscriptionConcurrency: config.webhookSubscriptionConcurrency,
					timeoutMs: config.webhookTimeoutMs,
					leaseMs: config.webhookLeaseMs,
					retrySchedule: config.webhookRetrySchedule,
					pollMs: config.webhookPollMs,
					publicBaseUrl: effective.publicBaseUrl,
				})
			: undefined;
		if (webhookDispatcher) closers.push(() => webhookDispatcher.stop());
		log.info('listening', { url, publicBaseUrl: effective.publicBaseUrl });
		return { url, port, db, log, config: effective, redirect, webhookDispatcher, live, close: runClosers };
	} catch (err) {
		await runClosers();
		throw err;
	}
}

function closeHttpServer(server: Server, timeoutMs: number): Promise<void> {
	return new Promise((resolve) => {
		// Keep-alive connections that finish their request after close() would otherwise stay open
		// until the timeout: close each as soon as it is idle.
		const sweeper = setInterval(() => server.closeIdleConnections(), 50);
		const timer = setTimeout(() => {
			clearInterval(sweeper);
			server.closeAllConnections();
			resolve();
		}, timeoutMs);
		timer.unref();
		server.close(() => {
			clearTimeout(timer);
			clearInterval(sweeper);
			resolve();
		});
		server.closeIdleConnections();
	});
}
