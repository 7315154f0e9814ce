import type { WinnerMetric } from '../stats/params';
import type { VariantRate } from '../stats/winner';
import type { RuleDecision } from './evaluate';
import type { AbTestRule } from './rule';

/**
 * A concluded A/B test as the campaign keeps it (abTestResult) and the `winner` event reports it:
 * the winner's name and text (both null for a tie), how it was decided, the numbers it was decided
 * on, and how many recipients wait in the hold-out for the winner.
 */
export interface WinnerReport {
	variant: string | null;
	text: string | null;
	tie: boolean;
	/** The variants that share the best rate (a tie), else empty. */
	tied: string[];
	decidedBy: RuleDecision['decidedBy'];
	significant: boolean;
	pValue: number | null;
	metric: WinnerMetric;
	confidence: number;
	minSamplePerVariant: number;
	variants: VariantRate[];
	holdoutRecipients: number;
	decidedAt: string;
}

export function winnerReport(
	rule: AbTestRule,
	decision: RuleDecision,
	context: { texts: Map<string, string>; holdoutRecipients: number; decidedAt: Date },
): WinnerReport {
	return {
		variant: decision.winner,
		text: decision.winner === null ? null : (context.texts.get(decision.winner) ?? null),
		tie: decision.tie,
		tied: decision.tied,
		decidedBy: decision.decidedBy,
		significant: decision.significant,
		pValue: decision.pValue,
		metric: rule.metric,
		confidence: rule.confidence,
		minSamplePerVariant: rule.minSamplePerVariant,
		variants: decision.variants,
		holdoutRecipients: context.holdoutRecipients,
		decidedAt: context.decidedAt.toISOString(),
	};
}
