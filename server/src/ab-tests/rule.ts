import { badRequest } from '../http/errors';
import {
	asObject,
	onlyKnownFields,
	optionalDate,
	optionalNumber,
	type Json,
} from '../http/validate';
import { parseWinnerSettings, type WinnerSettings } from '../stats/params';

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

const fields = [
	'metric',
	'confidence',
	'minSamplePerVariant',
	'decide',
	'decideAfterHours',
	'decideAt',
	'deadlineAfterHours',
	'deadlineAt',
	'atDeadline',
];
const maxHours = 24 * 366;
const field = 'abTestRule.';

function oneOf<T extends readonly string[]>(
	obj: Json,
	key: string,
	choices: T,
	fallback?: T[number],
): T[number] {
	const value = obj[key] ?? fallback;
	if (typeof value !== 'string' || !choices.includes(value)) {
		throw badRequest(`${field}${key} must be one of ${choices.join(', ')}`);
	}
	return value;
}

function hours(obj: Json, key: string): number | undefined {
	return optionalNumber(obj, key, { min: 0, max: maxHours }, `${field}${key}`);
}

function futureInstant(obj: Json, key: string, now: Date): string | undefined {
	const date = optionalDate(obj, key, `${field}${key}`);
	if (date && date <= now) throw badRequest(`${field}${key} must be in the future`);
	return date?.toISOString();
}

/** Refuses a field the chosen `decide` does not use, naming the one to use instead. */
function notWith(obj: Json, key: string, decide: string, instead: string): void {
	if (obj[key] !== undefined && obj[key] !== null) {
		throw badRequest(`${field}${key} does not go with decide "${decide}"; use ${field}${instead}`);
	}
}

/**
 * A campaign's abTestRule (POST and PATCH /campaigns): each a 400 naming the field, and a deadline
 * before the decision time a 400 of its own (deadline_before_decision).
 */
export function parseAbTestRule(value: unknown, now = new Date()): AbTestRule {
	const obj = asObject(value, 'abTestRule');
	onlyKnownFields(obj, fields, 'abTestRule');
	const settings = parseWinnerSettings(obj, field);
	const decide = oneOf(obj, 'decide', decideWhen);
	const atDeadline = oneOf(obj, 'atDeadline', atDeadlineChoices, 'leader');
	const rule: AbTestRule = { ...settings, decide, atDeadline };
	if (decide === 'afterDuration') {
		notWith(obj, 'decideAt', decide, 'decideAfterHours');
		notWith(obj, 'deadlineAt', decide, 'deadlineAfterHours');
		rule.decideAfterHours = hours(obj, 'decideAfterHours');
		if (rule.decideAfterHours === undefined)
			throw badRequest(`${field}decideAfterHours is required with decide "afterDuration"`);
	} else if (decide === 'atTime') {
		notWith(obj, 'decideAfterHours', decide, 'decideAt');
		notWith(obj, 'deadlineAfterHours', decide, 'deadlineAt');
		rule.decideAt = futureInstant(obj, 'decideAt', now);
		if (!rule.decideAt) throw badRequest(`${field}decideAt is required with decide "atTime"`);
	} else {
		notWith(obj, 'decideAfterHours', decide, 'deadlineAfterHours or deadlineAt');
		notWith(obj, 'decideAt', decide, 'deadlineAfterHours or deadlineAt');
	}
	const deadlineAfterHours = hours(obj, 'deadlineAfterHours');
	const deadlineAt = futureInstant(obj, 'deadlineAt', now);
	if ((deadlineAfterHours === undefined) === (deadlineAt === undefined)) {
		throw badRequest(`${field}deadlineAfterHours or ${field}deadlineAt is required (one of them)`);
	}
	if (deadlineAfterHours !== undefined) rule.deadlineAfterHours = deadlineAfterHours;
	if (deadlineAt !== undefined) rule.deadlineAt = deadlineAt;
	if (
		(rule.decideAfterHours !== undefined && deadlineAfterHours! < rule.decideAfterHours) ||
		(rule.decideAt !== undefined && Date.parse(deadlineAt!) < Date.parse(rule.decideAt))
	) {
		throw badRequest(
			`${field}deadline${rule.decideAt ? 'At' : 'AfterHours'} is before the decision time; the deadline must be at or after it`,
			'deadline_before_decision',
		);
	}
	return rule;
}
