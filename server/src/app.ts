import express, { type Express, type Router } from 'express';
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
import { requireApiKey } from './http/auth';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { requestLog } from './http/request-log';
import type { CodeGenerator } from './links/codes';
import { linkRoutes } from './links/routes';
import { messageRoutes } from './messages/routes';
import { metricsRoutes, type Metrics } from './metrics';
import type { Logger } from './log';
import { mounts, type MountName } from './mounts';
import { inboundSmsRoutes } from './opt-outs/inbound-routes';
import { optOutRoutes } from './opt-outs/routes';
import { sendTimeRoutes } from './send-times/routes';
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
}

/** Everything under /api/v1: API key first, then JSON bodies, then the resources. */
function apiRoutes(deps: AppDeps, script: TrackingScript): Router {
	const { config, db } = deps;
	const api = express.Router();
	api.use(requireApiKey(config.apiKeys));
	api.use(express.json({ limit: config.bodyLimit, strict: true }));
	api.use(campaignRoutes(db, deps.linksChanged));
	api.use(linkRoutes(deps));
	api.use(messageRoutes(db, config));
	api.use(statsRoutes(db));
	api.use(conversionApiRoutes({ ...deps, script }));
	api.use(eventRoutes(db));
	api.use(webhookRoutes(db));
	api.use(optOutRoutes(db, config));
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
		readyz: readinessRoutes(db),
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
