import { recordWinner } from '../campaigns/store';
import type { Database } from '../db';
import type { Campaign } from '../campaigns/types';
import { holdoutVariant } from '../campaigns/types';
import { campaignStats } from './campaign-stats';
import { audience } from './metrics';
import type { WinnerMetric, WinnerRequest } from './params';
import { requiredSamplePerVariant, twoProportionZTest } from './z-test';

export interface VariantRate {
	variant: string;
	/** The test's sample: recipients sent to (every recipient with a link when no sends were reported). */
	recipients: number;
	successes: number;
	rate: number | null;
}

export interface WinnerDecision {
	metric: WinnerMetric;
	confidence: number;
	winner: string | null;
	leader: string | null;
	runnerUp: string | null;
	pValue: number | null;
	significant: boolean;
	minSampleReached: boolean;
	minSamplePerVariant: number;
	requiredSamplePerVariant: number | null;
	variants: VariantRate[];
	recorded: boolean;
}

/**
 * Pure decision: the leader is the variant with the highest rate (ties go to the larger sample,
 * then the first defined); it is compared with the runner-up by a pooled two-proportion z-test.
 * The leader becomes the winner only when p < 1 − confidence AND both have the minimum sample.
 */
export function decideWinner(
	variants: VariantRate[],
	request: Omit<WinnerRequest, 'record'>,
): Omit<WinnerDecision, 'recorded'> {
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
		leader: leader?.variant ?? null,
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

/** Reads the variants' numbers, decides, and on request records the winner on the campaign. */
export async function chooseWinner(
	db: Database,
	campaign: Campaign,
	request: WinnerRequest,
): Promise<WinnerDecision> {
	const stats = await campaignStats(db, campaign, { from: null, to: null, timeZone: 'UTC' });
	const variants: VariantRate[] = stats.variants
		.filter((v) => v.variant !== holdoutVariant)
		.map((v) => {
			const recipients = audience(v);
			const successes = request.metric === 'ctr' ? v.uniqueClickers : v.uniqueConverters;
			return {
				variant: v.variant,
				recipients,
				successes,
				rate: recipients > 0 ? successes / recipients : null,
			};
		});
	const decision = decideWinner(variants, request);
	let recorded = false;
	if (request.record && decision.winner) {
		await recordWinner(db, campaign.id, decision.winner);
		recorded = true;
	}
	return { ...decision, recorded };
}
