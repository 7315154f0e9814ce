import { decideWinner, type VariantRate } from '../stats/winner';
import type { AbTestRule } from './rule';

const hourMs = 3_600_000;

/**
 * When the rule may decide and when its deadline falls; null where it depends on a first send
 * that has not happened yet.
 */
export function ruleTimes(
	rule: AbTestRule,
	startedAt: Date | null,
): { decideFrom: Date | null; deadline: Date | null } {
	const after = (hours: number | undefined) =>
		startedAt && hours !== undefined ? new Date(startedAt.getTime() + hours * hourMs) : null;
	const decideFrom =
		rule.decide === 'atTime'
			? new Date(rule.decideAt!)
			: rule.decide === 'afterDuration'
				? after(rule.decideAfterHours)
				: startedAt;
	const deadline = rule.deadlineAt ? new Date(rule.deadlineAt) : after(rule.deadlineAfterHours);
	return { decideFrom, deadline };
}

/** Whether the rule can decide anything at `now` (its decision time or its deadline is reached). */
export function isDue(rule: AbTestRule, startedAt: Date | null, now: Date): boolean {
	const { decideFrom, deadline } = ruleTimes(rule, startedAt);
	return Boolean((decideFrom && now >= decideFrom) || (deadline && now >= deadline));
}

export interface RuleDecision {
	/** The winning variant; null for a tie. */
	winner: string | null;
	tie: boolean;
	/** significance: the rule was met; deadline: the deadline took the leader or declared the tie. */
	decidedBy: 'significance' | 'deadline';
	significant: boolean;
	pValue: number | null;
	/** Variants sharing the best rate when the rates decided nothing (empty otherwise). */
	tied: string[];
	variants: VariantRate[];
}

/**
 * The rule applied to the variants' numbers at `now`: undefined while the test goes on. Met (a
 * significant leader with the minimum sample on both sides) from the decision time on; at the
 * deadline the leader is taken (atDeadline "leader") unless no variant leads (equal best rates,
 * or no data), which is a tie like atDeadline "tie". A tie never names a variant.
 */
export function evaluateRule(
	rule: AbTestRule,
	startedAt: Date | null,
	now: Date,
	variants: VariantRate[],
): RuleDecision | undefined {
	const { decideFrom, deadline } = ruleTimes(rule, startedAt);
	const decision = decideWinner(variants, rule);
	const common = { significant: decision.significant, pValue: decision.pValue, variants };
	if (decideFrom && now >= decideFrom && decision.winner) {
		return { ...common, winner: decision.winner, tie: false, decidedBy: 'significance', tied: [] };
	}
	if (!deadline || now < deadline) return undefined;
	if (rule.atDeadline === 'leader' && decision.leader) {
		return { ...common, winner: decision.leader, tie: false, decidedBy: 'deadline', tied: [] };
	}
	return {
		...common,
		winner: null,
		tie: true,
		decidedBy: 'deadline',
		tied: decision.tied.length ? decision.tied : variants.map((v) => v.variant),
	};
}
