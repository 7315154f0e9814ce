export { createDatabaseGauges } from './database-gauges';
export { startMetricsListener, type MetricsListener } from './listener';
export {
	deliveryResults,
	redirectOutcomes,
	type DeliveryResult,
	type RedirectOutcome,
} from './outcomes';
export { createMetrics, type Metrics } from './registry';
export { metricsRoutes } from './routes';
export type { JournalStatus, NamedPool, PoolStats } from './sources';
