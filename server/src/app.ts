import express, { type Express, type Router } from 'express';
import { openApiDocument } from './api-schemas';
import { campaignRoutes } from './campaigns/routes';
import type { AppConfig } from './config';
import { conversionPublicRoutes } from './conversions/public-routes';
import { conversionApiRoutes } from './conversions/routes';
import { loadTrackingScript, type TrackingScript } from './conversions/script';
import type { Database } from './db';
import { dashboardRoutes } from './dashboard/routes';
import { deliveryReportRoutes } from './delivery-reports/routes';
import { eventRoutes } from './events/routes';
import { livenessRoutes, readinessRoutes } from './health/routes';
import { authenticate } from './http/auth';
import { createAuthThrottle } from './http/auth-throttle';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { requestLog } from './http/request-log';
import type { CodeGenerator } from './links/codes';
import { keyRoutes } from './keys/routes';
import { linkRoutes } from './links/routes';
import type { LiveFeed } from './live/feed';
import { liveRoutes } from './live/routes';
import { messageRoutes } from './messages/routes';
import { metricsRoutes, type Metrics } from './metrics';
import type { Logger } from './log';
import { mounts, type MountName } from './mounts';
import { inboundSmsRoutes } from './opt-outs/inbound-routes';
import { optOutRoutes } from './opt-outs/routes';
import { recipientRoutes } from './recipients/routes';
import { createClientAddress } from './shared/client-address';
import { createOutboundGuard, type OutboundGuard } from './shared/outbound-address';
import { sendLockRoutes } from './send-locks/routes';
import { sendTimeRoutes } from './send-times/routes';
import { reportRoutes } from './reports/routes';
import { statsRoutes } from './stats/routes';
import { webhookRoutes } from './webhooks/routes';

export interface AppDeps {
	config: AppConfig;
	db: Database;
	log: Logger;
	nextCode: CodeGenerator;
	/** Called when campaigns' links may redirect differently (the redirect's cache forgets them). */
	linksChanged?: () => void;
	/** Served at /metrics unless METRICS_PORT gives it a listener of its own. */
	metrics?: Metrics;
	/** Where webhooks may be sent (server.ts knows the ports in use; else built from config). */
	outboundGuard?: OutboundGuard;
	/** Whether clicks are being recorded (false: /readyz answers 503). */
	recording?: () => boolean;
	/** The live dashboard streams; without it GET …/live is not served. */
	live?: LiveFeed;
}

/**
 * Everything under /api/v1: its OpenAPI document (api-schemas.ts), then the API key, then JSON bodies, then the resources; each route's
 * first handler is the scope it needs (http/auth.ts requireScope).
 */
export function apiRoutes(deps: AppDeps, script: TrackingScript): Router {
	const { config, db } = deps;
	const api = express.Router();
	const clientAddress = createClientAddress(config.trustProxy);
	// The API's description is public: clients read it before they hold a key.
	api.get('/openapi.json', (_req, res) => {
		res.json(openApiDocument());
	});
	api.use(authenticate({ apiKeys: config.apiKeys, db, throttle: createAuthThrottle(), clientAddress }));
	api.use(express.json({ limit: config.bodyLimit, strict: true }));
	api.use(reportRoutes(db)); // before the campaign routes: /campaigns/kpis is not a campaign id
	api.use(campaignRoutes(db, deps.linksChanged));
	api.use(linkRoutes(deps));
	api.use(messageRoutes(db, config));
	api.use(sendLockRoutes(db));
	api.use(statsRoutes(db));
	api.use(conversionApiRoutes({ ...deps, script }));
	api.use(eventRoutes(db, config));
	const guard =
		deps.outboundGuard ??
		createOutboundGuard({ allowLocal: config.webhookAllowLocal, allowedNetworks: config.webhookAllowedNetworks, ownHost: config.host, ownPorts: [config.port] });
	api.use(webhookRoutes(db, guard, { defaultMs: config.webhookSecretOverlapMs, maxMs: config.webhookSecretOverlapMaxMs }));
	api.use(keyRoutes(db));
	api.use(optOutRoutes(db, config));
	api.use(recipientRoutes(db, config, deps.linksChanged));
	if (deps.live) api.use(liveRoutes(db, deps.live));
	api.use(sendTimeRoutes(db, config));
	return api;
}

/** Builds the Express app from its dependencies. It never listens: server.ts and the tests do. */
export function createApp(deps: AppDeps): Express {
	const { config, db, log } = deps;
	const app = express();
	app.disable('x-powered-by');
	app.set('trust proxy', config.trustProxy);
	app.set('query parser', 'simple');

	const script = loadTrackingScript();
	const conversions = conversionPublicRoutes({ ...deps, script });
	// One router per mount (mounts.ts), which is also the redirect's list of non-codes.
	const routers: Record<MountName, Router> = {
		healthz: livenessRoutes(),
		readyz: readinessRoutes(db, deps.recording),
		dashboard: dashboardRoutes(),
		trackingScript: conversions.trackingScript,
		collect: conversions.collect,
		pixel: conversions.pixel,
		api: apiRoutes(deps, script),
		deliveryReports: deliveryReportRoutes(db, config),
		inboundSms: inboundSmsRoutes(db, config, log),
		metrics:
			deps.metrics && config.metricsPort === undefined
				? metricsRoutes(deps.metrics, config.metricsToken)
				: express.Router(),
	};

	app.use(requestLog(log));
	for (const name of Object.keys(mounts) as MountName[]) app.use(mounts[name], routers[name]);
	app.use(notFoundHandler);
	app.use(errorHandler(log));
	return app;
}
