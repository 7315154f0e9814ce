import { noteAbTestStarts, openAbTests, recordAbTestDecision, type OpenAbTest } from '../campaigns/store';
import type { Database } from '../db';
import { insertEvents } from '../events/store';
import type { Logger } from '../log';
import { foldCampaign } from '../stats/rollup-folder';
import { variantCountsOf } from '../stats/variant-counts';
import { variantRates, type VariantCounts } from '../stats/winner';
import { holdoutVariant } from '../campaigns/types';
import { evaluateRule, isDue } from './evaluate';
import { winnerReport } from './report';

/** Campaigns whose counts one statement reads. */
const countsBatch = 500;

export interface CheckResult {
	/** Rules waiting for a decision. */
	open: number;
	/** Of those, the ones whose decision time or deadline has come (their counts were read). */
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
	return [...counts].sort((a, b) => rank(a.variant) - rank(b.variant) || a.variant.localeCompare(b.variant));
}

/**
 * One pass over the open rules: reads only the due ones' counts (one statement per batch) and
 * concludes those whose rule decides. Every instance may run it at once.
 */
export async function checkAbTests(db: Database, log: Logger, now = new Date()): Promise<CheckResult> {
	const open = await openAbTests(db);
	const started = await noteAbTestStarts(
		db,
		open.filter((t) => !t.startedAt).map((t) => t.id),
	);
	for (const test of open) test.startedAt ??= started.get(test.id) ?? null;
	const due = open.filter((t) => isDue(t.rule, t.startedAt, now));
	let decided = 0;
	for (let i = 0; i < due.length; i += countsBatch) {
		const batch = due.slice(i, i + countsBatch);
		const counts = await variantCountsOf(db, batch.map((t) => t.id));
		for (const test of batch) {
			const rates = variantRates(inCampaignOrder(test, counts.get(test.id) ?? []), test.rule.metric);
			if (!evaluateRule(test.rule, test.startedAt, now, rates)) continue;
			if (await concludeAbTest(db, log, test)) decided++;
		}
	}
	return { open: open.length, due: due.length, decided };
}

/**
 * Decides one test on exact numbers (its queued events folded first) and, if the rule still
 * decides and no one decided before, records the decision and stores its `winner` event in one
 * transaction. Returns whether this call decided.
 */
export async function concludeAbTest(db: Database, log: Logger, test: OpenAbTest): Promise<boolean> {
	await foldCampaign(db, test.id);
	const now = new Date();
	const counts = inCampaignOrder(test, (await variantCountsOf(db, [test.id])).get(test.id) ?? []);
	const decision = evaluateRule(test.rule, test.startedAt, now, variantRates(counts, test.rule.metric));
	if (!decision) return false;
	const report = winnerReport(test.rule, decision, {
		texts: new Map(test.variants.flatMap((v) => (v.text === undefined ? [] : [[v.name, v.text] as const]))),
		holdoutRecipients: counts.find((c) => c.variant === holdoutVariant)?.recipients ?? 0,
		decidedAt: now,
	});
	const decided = await db.withTransaction(async (tx) => {
		if (!(await recordAbTestDecision(tx, test.id, test.rule, report))) return false;
		await insertEvents(tx, [
			{ eventKey: `winner:${test.id}`, type: 'winner', occurredAt: now, campaignId: test.id, variant: report.variant },
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
export function startAbTestChecker(db: Database, log: Logger, opts: { intervalMs: number }): () => Promise<void> {
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> = Promise.resolve();

	const tick = () => {
		running = (async () => {
			try {
				await checkAbTests(db, log);
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
