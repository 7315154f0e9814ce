import { z } from 'zod';
import { requestDateTime } from '../http/common-schemas';
import { badRequest } from '../http/errors';
import { byParser, parseBody } from '../http/schema';
import { winnerSettings, type WinnerSettings } from '../stats/schemas';

export const decideWhen = ['afterDuration', 'atTime', 'whenMet'] as const;
export const atDeadlineChoices = ['leader', 'tie'] as const;

/**
 * How the server concludes a campaign's A/B test by itself. The test is decided when the rule is
 * met (the leader is significantly better at `confidence`, each side has the minimum sample), at
 * the earliest from the decision time: `afterDuration` hours after the first send, `atTime`, or
 * `whenMet` right from the first send. At the deadline, if still undecided, `atDeadline` says
 * whether the leader is taken or the test is declared a tie.
 */
export interface AbTestRule extends WinnerSettings {
	decide: (typeof decideWhen)[number];
	/** afterDuration: hours from the first send. */
	decideAfterHours?: number;
	/** atTime: the instant (ISO 8601). */
	decideAt?: string;
	/** Hours from the first send (afterDuration, whenMet)… */
	deadlineAfterHours?: number;
	/** …or an instant (atTime, whenMet). */
	deadlineAt?: string;
	atDeadline: (typeof atDeadlineChoices)[number];
}

const maxHours = 24 * 366;
const hours = z.number().min(0).max(maxHours).nullish();
const instant = requestDateTime.nullish();

/** What a rule may hold; which fields go together is checked by completeRule. */
const ruleFields = z.strictObject({
	...winnerSettings.shape,
	decide: z.enum(decideWhen),
	decideAfterHours: hours.meta({ description: 'decide "afterDuration": hours from the first send' }),
	decideAt: instant.meta({ description: 'decide "atTime": the instant, in the future' }),
	deadlineAfterHours: hours.meta({ description: 'Hours from the first send (one of deadlineAfterHours, deadlineAt)' }),
	deadlineAt: instant.meta({ description: 'An instant in the future (one of deadlineAfterHours, deadlineAt)' }),
	atDeadline: z
		.enum(atDeadlineChoices)
		.nullish()
		.transform((v) => v ?? 'leader')
		.meta({ description: 'Still undecided at the deadline: take the leader, or declare a tie' }),
});

type RuleFields = z.output<typeof ruleFields>;

/**
 * Which fields go with `decide`, one deadline, times in the future, and a deadline at or after the
 * decision time (its own code, deadline_before_decision). `field` is the rule's path in messages.
 */
function completeRule(given: RuleFields, field: string, now: Date): AbTestRule {
	const name = (key: string) => `${field}.${key}`;
	const notWith = (key: keyof RuleFields, instead: string) => {
		if (given[key] != null)
			throw badRequest(`${name(key)} does not go with decide "${given.decide}"; use ${name(instead)}`);
	};
	const future = (key: 'decideAt' | 'deadlineAt') => {
		const date = given[key];
		if (date && date <= now) throw badRequest(`${name(key)} must be in the future`);
		return date?.toISOString();
	};
	const { metric, confidence, minSamplePerVariant, decide, atDeadline } = given;
	const rule: AbTestRule = { metric, confidence, minSamplePerVariant, decide, atDeadline };
	if (decide === 'afterDuration') {
		notWith('decideAt', 'decideAfterHours');
		notWith('deadlineAt', 'deadlineAfterHours');
		if (given.decideAfterHours == null) throw badRequest(`${name('decideAfterHours')} is required with decide "afterDuration"`);
		rule.decideAfterHours = given.decideAfterHours;
	} else if (decide === 'atTime') {
		notWith('decideAfterHours', 'decideAt');
		notWith('deadlineAfterHours', 'deadlineAt');
		rule.decideAt = future('decideAt');
		if (!rule.decideAt) throw badRequest(`${name('decideAt')} is required with decide "atTime"`);
	} else {
		notWith('decideAfterHours', 'deadlineAfterHours or deadlineAt');
		notWith('decideAt', 'deadlineAfterHours or deadlineAt');
	}
	const deadlineAfterHours = given.deadlineAfterHours ?? undefined;
	const deadlineAt = future('deadlineAt');
	if ((deadlineAfterHours === undefined) === (deadlineAt === undefined)) {
		throw badRequest(`${name('deadlineAfterHours')} or ${name('deadlineAt')} is required (one of them)`);
	}
	if (deadlineAfterHours !== undefined) rule.deadlineAfterHours = deadlineAfterHours;
	if (deadlineAt !== undefined) rule.deadlineAt = deadlineAt;
	if (
		(rule.decideAfterHours !== undefined && deadlineAfterHours! < rule.decideAfterHours) ||
		(rule.decideAt !== undefined && Date.parse(deadlineAt!) < Date.parse(rule.decideAt))
	) {
		throw badRequest(
			`${name(rule.decideAt ? 'deadlineAt' : 'deadlineAfterHours')} is before the decision time; the deadline must be at or after it`,
			'deadline_before_decision',
		);
	}
	return rule;
}

/**
 * A campaign's abTestRule in POST and PATCH /campaigns: each problem a 400 naming the field, and
 * a deadline before the decision time a 400 of its own (deadline_before_decision).
 */
export const abTestRuleInput = ruleFields
	.transform(byParser((given, field) => completeRule(given as RuleFields, field, new Date())))
	.meta({ description: 'How the server concludes the A/B test by itself (docs/api.md#ab-test-rules)' });

/** The rule outside a request (tests, the node's checks): as abTestRuleInput, at `now`. */
export function parseAbTestRule(value: unknown, now = new Date()): AbTestRule {
	const { abTestRule } = parseBody(z.strictObject({ abTestRule: ruleFields }), { body: { abTestRule: value } });
	return completeRule(abTestRule, 'abTestRule', now);
}
