import { Gauge, type Registry } from 'prom-client';
import { prefix } from './series';
import type { DatabaseGauges, NamedPool } from './sources';

/**
 * The series read from the database at scrape time (one reading shared by the four; see
 * database-gauges.ts for how old it may be) and the connection pools' occupancy, per pool.
 */
export function registerDatabaseSeries(
	register: Registry,
	read: () => Promise<DatabaseGauges | undefined>,
	pools: readonly NamedPool[],
): void {
	let reading: Promise<DatabaseGauges | undefined> | undefined;
	// Undefined only before the first reading ever came back: the gauges stay at 0 until then.
	const fromReading = (pick: (gauges: DatabaseGauges) => number) =>
		async function (this: Gauge) {
			reading ??= read().finally(() => setImmediate(() => (reading = undefined)));
			const gauges = await reading;
			if (gauges) this.set(pick(gauges));
		};
	const gauge = (name: string, help: string, pick: (gauges: DatabaseGauges) => number) =>
		new Gauge({ name: prefix + name, help, registers: [register], collect: fromReading(pick) });
	gauge(
		'webhook_outbox_pending',
		'Webhook deliveries waiting to be sent or retried',
		(g) => g.outboxPending,
	);
	gauge(
		'webhook_outbox_failed',
		'Webhook deliveries given up on (retry them through the API)',
		(g) => g.outboxFailed,
	);
	gauge(
		'stats_fold_lag_seconds',
		'Age of the oldest stored event not yet folded into the stats rollups (0: none waits)',
		(g) => g.foldLagSeconds,
	);
	gauge(
		'database_gauges_age_seconds',
		'Age of the reading behind the outbox and fold-lag gauges: grows while the database does not answer',
		(g) => (Date.now() - g.readAt) / 1000,
	);

	const perPool = (name: string, help: string, pick: (pool: NamedPool) => number) =>
		new Gauge({
			name: prefix + name,
			help,
			labelNames: ['pool'],
			registers: [register],
			collect() {
				for (const pool of pools) this.labels(pool.name).set(pick(pool));
			},
		});
	perPool(
		'db_pool_in_use',
		'Connections of the pool checked out by a query or transaction',
		(pool) => {
			const stats = pool.stats();
			return stats.total - stats.idle;
		},
	);
	perPool(
		'db_pool_waiting',
		'Queries waiting for a free connection of the pool',
		(pool) => pool.stats().waiting,
	);
}
