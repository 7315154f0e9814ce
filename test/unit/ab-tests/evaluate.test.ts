import { evaluateRule, isDue, ruleTimes } from '../../../server/src/ab-tests/evaluate';
import type { AbTestRule } from '../../../server/src/ab-tests/rule';
import type { VariantRate } from '../../../server/src/stats/winner';

const started = new Date('2026-12-01T08:00:00Z');
const hoursLater = (h: number) => new Date(started.getTime() + h * 3_600_000);

const rate = (variant: string, successes: number, recipients: number): VariantRate => ({
	variant,
	recipients,
	successes,
	rate: recipients ? successes / recipients : null,
});

const rule = (over: Partial<AbTestRule> = {}): AbTestRule => ({
	metric: 'ctr',
	confidence: 0.95,
	minSamplePerVariant: 100,
	decide: 'afterDuration',
	decideAfterHours: 24,
	deadlineAfterHours: 72,
	atDeadline: 'leader',
	...over,
});

// Worked by hand with the pooled standard error, and read against the standard normal table
// (two-sided critical values: 1.645 at 90 %, 1.960 at 95 %, 2.576 at 99 %).
//
// 60/500 vs 40/500: pooled p = 100/1000 = 0.1; SE = √(0.1 · 0.9 · (1/500 + 1/500)) = √0.00036
// = 0.018974; z = (0.12 − 0.08) / 0.018974 = 2.108; the table's Φ(2.11) = 0.98257 gives
// p ≈ 2 · 0.01743 = 0.035. Significant at 90 % and 95 %, not at 99 %.
const sixtyVsForty = [rate('A', 60, 500), rate('B', 40, 500)];
// 115/1000 vs 90/1000: pooled p = 0.1025; SE = √(0.1025 · 0.8975 · 0.002) = 0.013564;
// z = 0.025 / 0.013564 = 1.843, between 1.645 and 1.960: significant at 90 %, not at 95 %.
const closeCall = [rate('A', 115, 1000), rate('B', 90, 1000)];
// 30/100 vs 10/100: pooled p = 0.2; SE = √(0.2 · 0.8 · 0.02) = 0.056569; z = 0.2 / 0.056569
// = 3.536 > 2.576: significant even at 99 %, but on 100 recipients a variant.
const smallButClear = [rate('A', 30, 100), rate('B', 10, 100)];

test.each([
	[0.9, sixtyVsForty, 'A'],
	[0.95, sixtyVsForty, 'A'],
	[0.99, sixtyVsForty, undefined],
	[0.9, closeCall, 'A'],
	[0.95, closeCall, undefined],
	[0.99, smallButClear, 'A'],
])(
	'when the confidence is %p, then the rule is met exactly when z passes the table value',
	(confidence, variants, winner) => {
		const decision = evaluateRule(rule({ confidence }), started, hoursLater(25), variants);
		expect(decision?.winner).toBe(winner);
		if (decision)
			expect(decision).toMatchObject({ decidedBy: 'significance', significant: true, tie: false });
	},
);

test('when the p-value is reported, then it agrees with the table to three places', () => {
	const decision = evaluateRule(rule(), started, hoursLater(25), sixtyVsForty)!;
	expect(Math.abs(decision.pValue! - 0.035)).toBeLessThan(0.0005);
});

test('when the rule is met before its decision time, then it waits; from the decision time it decides', () => {
	expect(evaluateRule(rule(), started, hoursLater(23.9), sixtyVsForty)).toBeUndefined();
	expect(evaluateRule(rule(), started, hoursLater(24), sixtyVsForty)?.winner).toBe('A');
});

test('when a variant lacks the minimum sample, then a significant lead waits until the deadline, which takes the leader', () => {
	const strict = rule({ minSamplePerVariant: 500 });
	expect(evaluateRule(strict, started, hoursLater(48), smallButClear)).toBeUndefined();
	expect(evaluateRule(strict, started, hoursLater(72), smallButClear)).toMatchObject({
		winner: 'A',
		tie: false,
		decidedBy: 'deadline',
		significant: true,
	});
});

test('when the deadline passes without significance, then the leader is taken, or a tie is declared when the rule says so', () => {
	expect(
		evaluateRule(rule({ confidence: 0.95 }), started, hoursLater(72), closeCall),
	).toMatchObject({
		winner: 'A',
		tie: false,
		decidedBy: 'deadline',
		significant: false,
	});
	expect(
		evaluateRule(rule({ atDeadline: 'tie' }), started, hoursLater(72), closeCall),
	).toMatchObject({
		winner: null,
		tie: true,
		tied: ['A', 'B'],
		decidedBy: 'deadline',
	});
});

test('when the best rate is shared at the deadline, then it is a tie naming the tied variants, never a lead', () => {
	const decision = evaluateRule(rule(), started, hoursLater(72), [
		rate('A', 40, 400),
		rate('B', 20, 400),
		rate('C', 40, 400),
	]);
	expect(decision).toMatchObject({
		winner: null,
		tie: true,
		tied: ['A', 'C'],
		decidedBy: 'deadline',
	});
});

test('when nothing was sent by an instant deadline, then the test ends as a tie without rates', () => {
	const atTime = rule({
		decide: 'atTime',
		decideAfterHours: undefined,
		deadlineAfterHours: undefined,
		decideAt: '2026-12-02T08:00:00Z',
		deadlineAt: '2026-12-03T08:00:00Z',
	});
	expect(evaluateRule(atTime, null, new Date('2026-12-02T09:00:00Z'), [])).toBeUndefined();
	expect(evaluateRule(atTime, null, new Date('2026-12-03T08:00:00Z'), [])).toMatchObject({
		winner: null,
		tie: true,
		pValue: null,
	});
});

test('when the times depend on a first send that has not happened, then nothing is due', () => {
	expect(ruleTimes(rule(), null)).toEqual({ decideFrom: null, deadline: null });
	expect(isDue(rule(), null, hoursLater(1000))).toBe(false);
	const whenMet = rule({ decide: 'whenMet', decideAfterHours: undefined });
	expect(ruleTimes(whenMet, started)).toEqual({ decideFrom: started, deadline: hoursLater(72) });
	expect(isDue(whenMet, started, started)).toBe(true);
});
