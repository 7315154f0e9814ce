import type { z } from 'zod';
import type { winnerReport as winnerReportSchema } from './schemas';
import type { RuleDecision } from './evaluate';
import type { AbTestRule } from './rule';

export type WinnerReport = z.output<typeof winnerReportSchema>;

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
