import express, { type Express } from 'express';
import { campaignRoutes } from './campaigns/routes';
import type { AppConfig } from './config';
import { conversionPublicRoutes } from './conversions/public-routes';
import { conversionApiRoutes } from './conversions/routes';
import { loadTrackingScript } from './conversions/script';
import type { Database } from './db';
import { dashboardRoutes } from './dashboard/routes';
import { deliveryReportRoutes } from './delivery-reports/routes';
import { eventRoutes } from './events/routes';
import { healthRoutes } from './health/routes';
import { requireApiKey } from './http/auth';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { requestLog } from './http/request-log';
import type { CodeGenerator } from './links/codes';
import { linkRoutes } from './links/routes';
import { messageRoutes } from './messages/routes';
import type { Logger } from './log';
import { statsRoutes } from './stats/routes';
import { webhookRoutes } from './webhooks/routes';

export interface AppDeps {
	config: AppConfig;
	db: Database;
	log: Logger;
	nextCode: CodeGenerator;
}

/** Builds the Express app from its dependencies. It never listens: server.ts and the tests do. */
export function createApp(deps: AppDeps): Express {
	const { config, db, log } = deps;
	const app = express();
	app.disable('x-powered-by');
	app.set('trust proxy', config.trustProxy);
	app.set('query parser', 'simple');

	app.use(requestLog(log));
	app.use(healthRoutes(db));
	app.use(dashboardRoutes());
	const script = loadTrackingScript();
	app.use(conversionPublicRoutes({ ...deps, script }));

	const api = express.Router();
	api.use(requireApiKey(config.apiKeys));
	api.use(express.json({ limit: config.bodyLimit, strict: true }));
	api.use(campaignRoutes(db));
	api.use(linkRoutes(deps));
	api.use(messageRoutes(db, config));
	api.use(statsRoutes(db));
	api.use(conversionApiRoutes({ ...deps, script }));
	api.use(eventRoutes(db));
	api.use(webhookRoutes(db));
	app.use('/api/v1', api);
	app.use(deliveryReportRoutes(db, config));

	app.use(notFoundHandler);
	app.use(errorHandler(log));
	return app;
}
