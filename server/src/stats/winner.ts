import { recordWinner } from '../campaigns/store';
import type { Database } from '../db';
import type { Campaign } from '../campaigns/types';
import { holdoutVariant } from '../campaigns/types';
import { campaignStats } from './campaign-stats';
import { audience, type MetricsRow } from './metrics';
import type { z } from 'zod';
import type { WinnerMetric, WinnerRequest, WinnerSettings, winnerDecision } from './schemas';
import { requiredSamplePerVariant, twoProportionZTest } from './z-test';

export interface VariantRate {
	variant: string;
	/** The test's sample: recipients sent to (every recipient with a link when no sends were reported). */
	recipients: number;
	successes: number;
	rate: number | null;
}

/** The A/B verdict as the API shows it (stats/schemas.ts). */
export type WinnerDecision = z.output<typeof winnerDecision>;

/**
 * Pure decision: the leader is the variant with the highest rate; it is compared with the
 * runner-up by a pooled two-proportion z-test and becomes the winner only when p < 1 − confidence
 * AND both have the minimum sample. When the best rate is shared there is no leader: the decision
 * names the tied variants, so nobody reads an equal result as "A leads".
 */
export function decideWinner(
	variants: VariantRate[],
	request: WinnerSettings,
): Omit<WinnerDecision, 'recorded' | 'winnerText'> {
	const ranked = variants
		.map((v, index) => ({ ...v, index }))
		.filter((v) => v.rate !== null)
		.sort((a, b) => b.rate! - a.rate! || b.recipients - a.recipients || a.index - b.index);
	const [leader, runnerUp] = ranked;
	const test =
		leader && runnerUp
			? twoProportionZTest(
					{ successes: leader.successes, trials: leader.recipients },
					{ successes: runnerUp.successes, trials: runnerUp.recipients },
				)
			: null;
	const pValue = test?.pValue ?? null;
	const tied =
		leader && runnerUp && leader.rate === runnerUp.rate
			? ranked.filter((v) => v.rate === leader.rate).map((v) => v.variant)
			: [];
	const significant =
		pValue !== null && leader.rate! > runnerUp.rate! && pValue < 1 - request.confidence;
	const minSampleReached =
		Boolean(leader && runnerUp) &&
		leader.recipients >= request.minSamplePerVariant &&
		runnerUp.recipients >= request.minSamplePerVariant;
	return {
		metric: request.metric,
		confidence: request.confidence,
		winner: significant && minSampleReached ? leader.variant : null,
		leader: tied.length ? null : (leader?.variant ?? null),
		tied,
		runnerUp: runnerUp?.variant ?? null,
		pValue,
		significant,
		minSampleReached,
		minSamplePerVariant: request.minSamplePerVariant,
		requiredSamplePerVariant:
			leader && runnerUp
				? requiredSamplePerVariant(leader.rate!, runnerUp.rate!, request.confidence)
				: null,
		variants,
	};
}

/** A variant's counts as the stats report them (a row of GET …/stats' variants, or of the rollups). */
export type VariantCounts = { variant: string } & Pick<
	MetricsRow,
	'recipients' | 'sent' | 'uniqueClickers' | 'uniqueConverters'
>;

/**
 * The test's sample and successes of each variant, the hold-out left out: the base is the stats'
 * audience (recipients sent to), the successes unique clickers or unique converters.
 */
export function variantRates(rows: VariantCounts[], metric: WinnerMetric): VariantRate[] {
	return rows
		.filter((v) => v.variant !== holdoutVariant)
		.map((v) => {
			const recipients = audience(v);
			const successes = metric === 'ctr' ? v.uniqueClickers : v.uniqueConverters;
			return {
				variant: v.variant,
				recipients,
				successes,
				rate: recipients > 0 ? successes / recipients : null,
			};
		});
}

/** Reads the variants' numbers, decides, and on request records the winner on the campaign. */
export async function chooseWinner(
	db: Database,
	campaign: Campaign,
	request: WinnerRequest,
): Promise<WinnerDecision> {
	const stats = await campaignStats(db, campaign, { from: null, to: null, timeZone: 'UTC' });
	const decision = decideWinner(variantRates(stats.variants, request.metric), request);
	const winnerText = campaign.variants?.find((v) => v.name === decision.winner)?.text ?? null;
	let recorded = false;
	if (request.record && decision.winner) {
		await recordWinner(db, campaign.id, decision.winner);
		recorded = true;
	}
	return { ...decision, winnerText, recorded };
}
