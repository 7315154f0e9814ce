import type { Database, Queryable } from '../db';
import type { Logger } from '../log';

/** Events folded per statement: big enough to be efficient, small enough to keep transactions short. */
export const foldBatch = 20_000;
const idleMs = 500;
/** A request folds its campaign's queue in steps of this size before it reads the rollups. */
export const maxFoldPerRequest = 200_000;

/**
 * Folds queued events (migration 006: stats_pending) into the stats rollups. Returns how many.
 * With a campaign, only that campaign's queue: GET …/stats calls it so its answer includes every
 * event committed before the request.
 */
export async function foldEvents(
	db: Queryable,
	campaignId: string | null = null,
	max = foldBatch,
): Promise<number> {
	const { rows } = await db.query<{ folded: number }>('SELECT stats_fold($1, $2) AS folded', [
		max,
		campaignId,
	]);
	return rows[0].folded;
}

/** Folds everything queued for one campaign, so that its rollups include every stored event. */
export const foldCampaign = (db: Queryable, campaignId: string): Promise<void> => foldQueue(db, campaignId);

/**
 * Folds what is queued for the campaigns `among` (for every campaign without it), so that a read
 * across campaigns includes every stored event: one query per campaign that has nothing queued is
 * saved by asking the queue which of them have.
 */
export async function foldQueuedCampaigns(db: Queryable, among?: string[]): Promise<void> {
	if (!among) return foldQueue(db, null);
	const { rows } = await db.query<{ campaign_id: string }>(
		'SELECT DISTINCT campaign_id FROM stats_pending WHERE campaign_id = ANY ($1::text[])',
		[among],
	);
	for (const { campaign_id } of rows) await foldQueue(db, campaign_id);
}

async function foldQueue(db: Queryable, campaignId: string | null): Promise<void> {
	await foldAllQueued(db, campaignId);
	// The fold skips (SKIP LOCKED) what a concurrent fold holds, and that fold may not have
	// committed yet: wait for it (its rows are gone once it commits). What is still queued then
	// arrived since, or was handed back by a fold that rolled back: fold that too.
	const { rows } = await db.query<{ n: number }>(
		campaignId === null
			? 'SELECT count(*)::int AS n FROM (SELECT 1 FROM stats_pending FOR UPDATE) held'
			: 'SELECT count(*)::int AS n FROM (SELECT 1 FROM stats_pending WHERE campaign_id = $1 FOR UPDATE) held',
		campaignId === null ? [] : [campaignId],
	);
	if (rows[0].n > 0) await foldAllQueued(db, campaignId);
}

async function foldAllQueued(db: Queryable, campaignId: string | null): Promise<void> {
	while ((await foldEvents(db, campaignId, maxFoldPerRequest)) === maxFoldPerRequest) {
		// a large backlog: keep folding in bounded steps
	}
}

/**
 * A campaign's kept figures (migration 033) get a row of differences per statement that changed
 * its rollups; a request sums them. Once a campaign has this many, they are merged into one per
 * variant and wave.
 */
export const figureRowsMerged = 64;

/** Merges the kept figures' rows of campaigns that have piled them up. Returns the rows written. */
export async function mergeKeptFigures(db: Queryable, minRows = figureRowsMerged): Promise<number> {
	const { rows } = await db.query<{ merged: number }>('SELECT stats_figures_merge($1) AS merged', [
		minRows,
	]);
	return rows[0].merged;
}

/**
 * The background folder: keeps the queue short so that stats requests find little to fold, and
 * merges the kept figures' rows when the queue is empty. Several server instances may run it at
 * once (the queue is taken with SKIP LOCKED). Returns its stopper.
 */
export function startRollupFolder(db: Database, log: Logger): () => Promise<void> {
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> = Promise.resolve();

	const tick = () => {
		running = (async () => {
			let folded = 0;
			try {
				folded = await foldEvents(db);
				if (folded < foldBatch) await mergeKeptFigures(db);
			} catch (err) {
				log.warn('folding events into the stats rollups failed; retrying', { err });
			}
			if (!stopped) timer = setTimeout(tick, folded === foldBatch ? 0 : idleMs);
		})();
	};
	timer = setTimeout(tick, idleMs);

	return async () => {
		stopped = true;
		clearTimeout(timer);
		await running;
	};
}
