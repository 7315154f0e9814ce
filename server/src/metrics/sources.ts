/**
 * What the metrics read from the rest of the server at scrape time. Each part is a small interface
 * so that the module providing it stays free of prom-client.
 */

/**
 * The redirect journal's state (issue 12). Absent until the journal is wired in: its series are
 * then left out of /metrics, and `events unrecorded` is 0 (the group-commit recorder answers 503
 * rather than answer a redirect whose event it could not keep).
 */
export interface JournalStatus {
	/** Bytes appended to the journal and not yet loaded into PostgreSQL. */
	bytesPending(): number;
	/** Age in seconds of the oldest journal entry not yet loaded (0: nothing waits). */
	lagSeconds(): number;
	/** Rows the loader has stored since the process started. */
	rowsLoadedTotal(): number;
	/** Rows the loader gave up on (can never be stored) since the process started. */
	rowsRejectedTotal(): number;
	/** Clicks answered with a redirect that neither the journal nor PostgreSQL kept. */
	clicksUnrecordedTotal(): number;
}

/** A database connection pool's occupancy (one per pool, named). */
export interface PoolStats {
	total: number;
	idle: number;
	waiting: number;
}

export interface NamedPool {
	/** A fixed name such as `main`: it becomes a label value. */
	name: string;
	stats(): PoolStats;
}

/** The database state that /metrics reports, read by cheap indexed queries. */
export interface DatabaseGauges {
	outboxPending: number;
	outboxFailed: number;
	/** Seconds since the oldest event still waiting to be folded into the stats rollups was stored. */
	foldLagSeconds: number;
	/** When these were read (ms since the epoch): a scrape may answer with an older reading. */
	readAt: number;
}
