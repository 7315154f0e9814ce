import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { AppConfig, Config } from './config';
import { createDatabase, type Database } from './db';
import { startEmbeddedPostgres } from './db/embedded';
import { migrate } from './db/migrate';
import { lockDataDir } from './journal/lock';
import { createCodeGenerator } from './links/codes';
import { createLiveFeed, type LiveFeed } from './live/feed';
import { createLogger, type Logger } from './log';
import { createDatabaseGauges, createMetrics, startMetricsListener, type Metrics } from './metrics';
import { serverResolve } from './shared/guarded-lookup';
import { createOutboundGuard } from './shared/outbound-address';
import { startDispatcher, type Dispatcher } from './webhooks/dispatcher';
import { createSaltKeeper } from './privacy/ip-hash-salts';
import { createRedirect, type Redirect } from './redirect';
import { followLinkChanges } from './redirect/links-changed';
import { startRollupFolder } from './stats/rollup-folder';
import { startPendingConversionSweeper } from './conversions/pending-sweeper';
import { startEventPartitionKeeper } from './events/partition-keeper';
import { startAbTestChecker } from './ab-tests/checker';
import { prepareClickHours } from './send-times/click-hours';

export interface RunningServer {
	url: string;
	port: number;
	db: Database;
	log: Logger;
	config: AppConfig;
	/** The redirect's cache, recorder and click journal (for operations and tests). */
	redirect: Redirect;
	/** This process's webhook dispatcher; absent with WEBHOOK_DISPATCHER=off. */
	webhookDispatcher?: Dispatcher;
	metrics: Metrics;
	/** The port serving /metrics when METRICS_PORT gives it a listener of its own. */
	metricsPort?: number;
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
		// Before anything in DATA_DIR is opened: a second process on the folder refuses to start.
		const unlock = lockDataDir(config.dataDir);
		closers.push(async () => unlock());
		let connectionString = config.databaseUrl;
		const ownPorts: number[] = [];
		if (!connectionString) {
			const embedded = await startEmbeddedPostgres(config.dataDir, config.databasePoolSize + config.redirect.lookupPoolSize);
			closers.push(() => embedded.stop());
			connectionString = embedded.connectionString;
			ownPorts.push(Number(new URL(embedded.connectionString).port));
			log.info('embedded PostgreSQL started', { dataDir: config.dataDir });
		}
		await migrate(connectionString, log);
		const preparedStatements = Boolean(config.databaseUrl);
		const db = createDatabase(connectionString, config.databasePoolSize, log, { preparedStatements, statementTimeoutMs: config.databaseStatementTimeoutMs });
		closers.push(() => db.close());
		// The redirect reads codes through its own pool: bulk work cannot take its connections.
		const lookups = createDatabase(connectionString, config.redirect.lookupPoolSize, log, {
			preparedStatements,
			statementTimeoutMs: config.redirect.lookupTimeoutMs,
			name: 'sms-tracking-redirect',
		});
		closers.push(() => lookups.close());
		await prepareClickHours(db, log);
		closers.push(startRollupFolder(db, log));
		const metrics = createMetrics(createDatabaseGauges(db, log));
		metrics.watchPool({ name: 'main', stats: () => db.poolStats() });
		closers.push(startPendingConversionSweeper(db, log, { perClick: config.conversionsPerClick }));
		closers.push(startEventPartitionKeeper(db, log, { retentionDays: config.eventsRetentionDays }));
		if (config.abTestCheckIntervalMs > 0) {
			closers.push(startAbTestChecker(db, log, { intervalMs: config.abTestCheckIntervalMs }));
		}
		// Runs before db.close and after the HTTP server drained: answered redirects' events are stored.
		const started: { redirect?: Redirect } = {};
		closers.push(async () => started.redirect?.close(config.shutdownTimeoutMs));

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
		let ipHashSalt = config.redirect.ipHashSalt;
		if (config.redirect.ipHashSaltRotationDays > 0) {
			const keeper = createSaltKeeper(db, {
				rotationDays: config.redirect.ipHashSaltRotationDays,
				fallbackSalt: String(config.redirect.ipHashSalt),
				log,
			});
			await keeper.start();
			closers.push(async () => keeper.stop());
			ipHashSalt = keeper.current;
		}
		const effective: AppConfig = {
			...config,
			publicBaseUrl: config.publicBaseUrl ?? url,
			redirect: { ...config.redirect, ipHashSalt },
		};
		const outbound = {
			guard: createOutboundGuard({
				allowLocal: config.webhookAllowLocal,
				allowedNetworks: config.webhookAllowedNetworks,
				ownHost: config.host,
				ownPorts: [port, ...ownPorts],
			}),
			resolve: config.webhookDnsServers.length ? serverResolve(config.webhookDnsServers) : undefined,
		};
		const redirect = (started.redirect = createRedirect({ config: effective, db, lookups, log, redirectOutcome: metrics.redirectOutcome }));
		const journal = redirect.journal.status;
		metrics.watchJournal({
			bytesPending: () => journal.bytesPending,
			lagSeconds: () => journal.lagSeconds,
			rowsLoadedTotal: () => journal.eventsLoaded,
			rowsRejectedTotal: () => journal.rejectedLines,
			clicksUnrecordedTotal: () => redirect.recorder.clicksUnrecorded,
		});
		const linkChanges = await followLinkChanges(db, log, () => redirect.links.clear());
		closers.push(() => linkChanges.stop());
		const live = createLiveFeed(db, log, { maxConnections: config.liveMaxConnections, heartbeatMs: config.liveHeartbeatMs });
		// Runs before the HTTP server closes: open streams never finish by themselves.
		closers.push(() => live.close());
		const app = createApp({
			config: effective,
			db,
			log,
			nextCode: createCodeGenerator(config.codeLength),
			outboundGuard: outbound.guard,
			linksChanged: () => linkChanges.changed(),
			metrics,
			recording: () => redirect.recorder.healthy,
			live,
		});
		let metricsPort: number | undefined;
		if (config.metricsPort !== undefined) {
			const listener = await startMetricsListener(metrics, { host: config.host, port: config.metricsPort, token: config.metricsToken, log });
			closers.push(() => listener.close());
			metricsPort = listener.port;
			log.info('metrics listening', { port: metricsPort });
		}
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
					observe: metrics.deliveryAttempt,
					outbound,
				})
			: undefined;
		if (webhookDispatcher) closers.push(() => webhookDispatcher.stop());
		log.info('listening', { url, publicBaseUrl: effective.publicBaseUrl });
		return { url, port, db, log, config: effective, redirect, webhookDispatcher, metrics, metricsPort, live, close: runClosers };
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
