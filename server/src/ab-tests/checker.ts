import {
	noteAbTestStarts,
	openAbTests,
	recordAbTestDecision,
	type OpenAbTest,
} from '../campaigns/store';
import type { Database } from '../db';
import { insertEvents } from '../events/store';
import type { Logger } from '../log';
import { foldCampaign } from '../stats/rollup-folder';
import { countsSignaturesOf, variantCountsOf } from '../stats/variant-counts';
import { variantRates, type VariantCounts } from '../stats/winner';
import { holdoutVariant } from '../campaigns/types';
import { evaluateRule, isDue } from './evaluate';
import { winnerReport } from './report';

/** Campaigns whose counts one statement reads. */
const countsBatch = 500;

export interface CheckResult {
	/** Rules waiting for a decision. */
	open: number;
	/** Of those, the ones whose decision time or deadline has come (their counts were looked at). */
	due: number;
	/** Tests this pass decided (another instance may have decided others). */
	decided: number;
}

/** The variants in the order the campaign defines them (the z-test's tie-break), others after. */
function inCampaignOrder(test: OpenAbTest, counts: VariantCounts[]): VariantCounts[] {
	const rank = (name: string) => {
		const i = test.variants.findIndex((v) => v.name === name);
		return i < 0 ? test.variants.length : i;
	};
	return [...counts].sort(
		(a, b) => rank(a.variant) - rank(b.variant) || a.variant.localeCompare(b.variant),
	);
}

/**
 * Every this many passes the checker reads every due test's counts; in between only those whose
 * events changed (countsSignaturesOf), so a pass over 1,000 waiting tests costs a probe each. What
 * the signature cannot see — new messages, an event committed after a newer one — is read at the
 * next full pass. A decision is always taken on numbers read afresh (concludeAbTest).
 */
const fullReadEvery = 10;

export interface AbTestChecker {
	/** One pass over the open rules; every instance may run passes at once. */
	check(now?: Date): Promise<CheckResult>;
}

/**
 * The checker of one process: reads only the due tests' counts (one statement per batch), keeps
 * them between passes with their signature, and concludes the tests whose rule decides.
 */
export function createAbTestChecker(db: Database, log: Logger): AbTestChecker {
	const known = new Map<string, { signature: string | null; counts: VariantCounts[] }>();
	let passes = 0;

	async function countsOf(due: OpenAbTest[]): Promise<Map<string, VariantCounts[]>> {
		const full = passes++ % fullReadEvery === 0;
		const signatures = await countsSignaturesOf(
			db,
			due.map((t) => t.id),
		);
		const stale = due.filter((t) => {
			const kept = known.get(t.id);
			return full || !kept || kept.signature === null || kept.signature !== signatures.get(t.id);
		});
		for (let i = 0; i < stale.length; i += countsBatch) {
			const batch = stale.slice(i, i + countsBatch).map((t) => t.id);
			for (const [id, counts] of await variantCountsOf(db, batch)) {
				known.set(id, { signature: signatures.get(id) ?? null, counts });
			}
		}
		const dueIds = new Set(due.map((t) => t.id));
		for (const id of known.keys()) if (!dueIds.has(id)) known.delete(id);
		return new Map(due.map((t) => [t.id, known.get(t.id)?.counts ?? []]));
	}

	return {
		async check(now = new Date()) {
			const open = await openAbTests(db);
			const started = await noteAbTestStarts(
				db,
				open.filter((t) => !t.startedAt).map((t) => t.id),
			);
			for (const test of open) test.startedAt ??= started.get(test.id) ?? null;
			const due = open.filter((t) => isDue(t.rule, t.startedAt, now));
			const counts = await countsOf(due);
			let decided = 0;
			for (const test of due) {
				const rates = variantRates(
					inCampaignOrder(test, counts.get(test.id) ?? []),
					test.rule.metric,
				);
				if (!evaluateRule(test.rule, test.startedAt, now, rates)) continue;
				if (await concludeAbTest(db, log, test)) decided++;
			}
			return { open: open.length, due: due.length, decided };
		},
	};
}

/**
 * Decides one test on exact numbers (its queued events folded first) and, if the rule still
 * decides and no one decided before, records the decision and stores its `winner` event in one
 * transaction. Returns whether this call decided.
 */
export async function concludeAbTest(
	db: Database,
	log: Logger,
	test: OpenAbTest,
): Promise<boolean> {
	await foldCampaign(db, test.id);
	const now = new Date();
	const counts = inCampaignOrder(test, (await variantCountsOf(db, [test.id])).get(test.id) ?? []);
	const decision = evaluateRule(
		test.rule,
		test.startedAt,
		now,
		variantRates(counts, test.rule.metric),
	);
	if (!decision) return false;
	const report = winnerReport(test.rule, decision, {
		texts: new Map(
			test.variants.flatMap((v) => (v.text === undefined ? [] : [[v.name, v.text] as const])),
		),
		holdoutRecipients: counts.find((c) => c.variant === holdoutVariant)?.recipients ?? 0,
		decidedAt: now,
	});
	const decided = await db.withTransaction(async (tx) => {
		if (!(await recordAbTestDecision(tx, test.id, test.rule, report))) return false;
		await insertEvents(tx, [
			{
				eventKey: `winner:${test.id}`,
				type: 'winner',
				occurredAt: now,
				campaignId: test.id,
				variant: report.variant,
			},
		]);
		return true;
	});
	if (decided) {
		log.info('A/B test decided', {
			campaignId: test.id,
			winner: report.variant,
			tie: report.tie,
			decidedBy: report.decidedBy,
		});
	}
	return decided;
}

/**
 * The background checker: a pass every `intervalMs`, the next one timed from the end of the last.
 * Returns its stopper.
 */
export function startAbTestChecker(
	db: Database,
	log: Logger,
	opts: { intervalMs: number },
): () => Promise<void> {
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> = Promise.resolve();
	const checker = createAbTestChecker(db, log);

	const tick = () => {
		running = (async () => {
			try {
				await checker.check();
			} catch (err) {
				log.warn('checking A/B test rules failed; retrying', { err });
			}
			if (!stopped) timer = setTimeout(tick, opts.intervalMs);
		})();
	};
	timer = setTimeout(tick, opts.intervalMs);

	return async () => {
		stopped = true;
		clearTimeout(timer);
		await running;
	};
}
