import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler, notFoundHandler } from '../http/error-handler';
import type { Logger } from '../log';
import { mounts } from '../mounts';
import type { Metrics } from './registry';
import { metricsRoutes } from './routes';

export interface MetricsListener {
	port: number;
	close(): Promise<void>;
}

/**
 * METRICS_PORT: /metrics on a listener of its own (same host), so that a firewall or a network
 * policy can keep it private while the main port faces the public. It serves nothing else.
 */
export async function startMetricsListener(
	metrics: Metrics,
	opts: { host: string; port: number; token?: string; log: Logger },
): Promise<MetricsListener> {
	const app = express();
	app.disable('x-powered-by');
	app.use(mounts.metrics, metricsRoutes(metrics, opts.token));
	app.use(notFoundHandler);
	app.use(errorHandler(opts.log));
	const server = createServer(app);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, opts.host, () => resolve());
	});
	return {
		port: (server.address() as AddressInfo).port,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
