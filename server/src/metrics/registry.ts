import { Counter, Histogram, Registry } from 'prom-client';
import { registerDatabaseSeries } from './database-series';
import {
	deliveryResults,
	redirectOutcomes,
	type DeliveryResult,
	type RedirectOutcome,
} from './outcomes';
import { processMetrics } from './process-metrics';
import { prefix, readCounter, readGauge } from './series';
import type { DatabaseGauges, JournalStatus, NamedPool } from './sources';

export interface Metrics {
	/** Called by the redirect once per hit, with how it ended and how long it took. */
	redirectOutcome(outcome: RedirectOutcome, seconds?: number): void;
	/** Called by the webhook dispatcher once per attempt, with its result and duration. */
	deliveryAttempt(result: DeliveryResult, seconds: number): void;
	/** Reports a connection pool's occupancy under `pool="<name>"`. */
	watchPool(pool: NamedPool): void;
	/** Reports the redirect journal's backlog, lag, loader counts and unrecorded clicks (call once). */
	watchJournal(journal: JournalStatus): void;
	/** The whole exposition, Prometheus text format. */
	render(): Promise<string>;
	readonly contentType: string;
}

const redirectBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const dispatchBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * One registry per server (tests run several in one process): the redirect's and the dispatcher's
 * counters, gauges read from the database at scrape time (`database`, see database-series.ts),
 * the pools and the journal once they are watched, and the process metrics. Every label takes its values from a fixed
 * list (outcomes.ts) or from a name the code gives (a pool), never from data.
 */
export function createMetrics(database: () => Promise<DatabaseGauges | undefined>): Metrics {
	const register = new Registry();

	const redirects = new Counter({
		name: prefix + 'redirects_total',
		help: 'Hits on short links by outcome: click, view (link preview), bot, unknown code, expired code, capped (recording cap reached), untracked (Do Not Track), unavailable (503)',
		labelNames: ['outcome'],
		registers: [register],
	});
	const redirectDuration = new Histogram({
		name: prefix + 'redirect_duration_seconds',
		help: 'Time from a short-link request to its answer',
		buckets: redirectBuckets,
		registers: [register],
	});
	// Children bound once (the redirect path then skips label hashing), each at 0 from the start.
	const byOutcome = new Map(
		redirectOutcomes.map((outcome) => [outcome, redirects.labels(outcome)]),
	);

	const deliveries = new Counter({
		name: prefix + 'webhook_deliveries_total',
		help: 'Webhook attempts by result: delivered (2xx), retry (failed, another attempt is scheduled), failed (given up)',
		labelNames: ['result'],
		registers: [register],
	});
	const dispatchDuration = new Histogram({
		name: prefix + 'webhook_dispatch_duration_seconds',
		help: 'Duration of one webhook attempt, from sending the request to its answer or error',
		buckets: dispatchBuckets,
		registers: [register],
	});
	const byResult = new Map(deliveryResults.map((result) => [result, deliveries.labels(result)]));
	for (const child of [...byOutcome.values(), ...byResult.values()]) child.inc(0);

	let unrecorded: () => number = () => 0;
	readCounter(
		register,
		'events_unrecorded_total',
		'Clicks answered with a redirect whose event could not be kept (journal and database both failing)',
		() => unrecorded(),
	);

	const pools: NamedPool[] = [];
	registerDatabaseSeries(register, database, pools);

	return {
		redirectOutcome(outcome, seconds) {
			byOutcome.get(outcome)?.inc();
			if (seconds !== undefined) redirectDuration.observe(seconds);
		},
		deliveryAttempt(result, seconds) {
			byResult.get(result)?.inc();
			dispatchDuration.observe(seconds);
		},
		watchPool(pool) {
			pools.push(pool);
		},
		watchJournal(journal) {
			unrecorded = () => journal.clicksUnrecordedTotal();
			readGauge(
				register,
				'journal_pending_bytes',
				'Journal bytes not yet loaded into PostgreSQL',
				() => journal.bytesPending(),
			);
			readGauge(
				register,
				'journal_lag_seconds',
				'Age of the oldest journal entry not yet loaded into PostgreSQL',
				() => journal.lagSeconds(),
			);
			readCounter(
				register,
				'journal_rows_loaded_total',
				'Rows the journal loader stored in PostgreSQL (rate() gives rows per second)',
				() => journal.rowsLoadedTotal(),
			);
			readCounter(
				register,
				'journal_rows_rejected_total',
				'Journal rows the loader could never store',
				() => journal.rowsRejectedTotal(),
			);
		},
		render: async () => (await processMetrics().metrics()) + (await register.metrics()),
		contentType: register.contentType,
	};
}
