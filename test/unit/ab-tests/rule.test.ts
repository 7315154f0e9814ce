import { parseAbTestRule } from '../../../server/src/ab-tests/rule';
import { HttpError } from '../../../server/src/http/errors';

const now = new Date('2026-12-01T08:00:00Z');
const refusal = (value: unknown) => {
	try {
		parseAbTestRule(value, now);
	} catch (err) {
		if (err instanceof HttpError)
			return { status: err.status, code: err.code, message: err.message };
		throw err;
	}
	throw new Error('accepted');
};

test('when a duration rule is complete, then it is kept as given with defaults for the rest', () => {
	expect(
		parseAbTestRule(
			{ metric: 'ctr', decide: 'afterDuration', decideAfterHours: 24, deadlineAfterHours: 24 },
			now,
		),
	).toEqual({
		metric: 'ctr',
		confidence: 0.95,
		minSamplePerVariant: 100,
		decide: 'afterDuration',
		decideAfterHours: 24,
		deadlineAfterHours: 24,
		atDeadline: 'leader',
	});
});

test('when an instant rule names its times with offsets, then they are kept in UTC', () => {
	const rule = parseAbTestRule(
		{
			metric: 'conversionRate',
			confidence: 0.99,
			decide: 'atTime',
			decideAt: '2026-12-02T10:00:00+02:00',
			deadlineAt: '2026-12-03T08:00:00Z',
			atDeadline: 'tie',
		},
		now,
	);
	expect(rule).toMatchObject({
		decideAt: '2026-12-02T08:00:00.000Z',
		deadlineAt: '2026-12-03T08:00:00.000Z',
		atDeadline: 'tie',
	});
});

test.each([
	[
		{ metric: 'ctr', decide: 'afterDuration', decideAfterHours: 48, deadlineAfterHours: 24 },
		'deadline_before_decision',
		/deadlineAfterHours is before the decision time/,
	],
	[
		{
			metric: 'ctr',
			decide: 'atTime',
			decideAt: '2026-12-03T00:00:00Z',
			deadlineAt: '2026-12-02T00:00:00Z',
		},
		'deadline_before_decision',
		/deadlineAt is before the decision time/,
	],
	[
		{ metric: 'ctr', decide: 'whenMet', deadlineAt: '2026-11-30T00:00:00Z' },
		'invalid_request',
		/deadlineAt must be in the future/,
	],
	[
		{ metric: 'ctr', decide: 'whenMet', deadlineAt: '2026-12-30T00:00:00Z', deadlineAfterHours: 3 },
		'invalid_request',
		/one of them/,
	],
	[
		{ metric: 'ctr', decide: 'whenMet', decideAfterHours: 3, deadlineAfterHours: 3 },
		'invalid_request',
		/decideAfterHours does not go with decide "whenMet"/,
	],
	[
		{ metric: 'ctr', decide: 'atTime', deadlineAt: '2026-12-30T00:00:00Z' },
		'invalid_request',
		/decideAt is required/,
	],
	[
		{ metric: 'ctr', confidence: 0.4, decide: 'whenMet', deadlineAfterHours: 3 },
		'invalid_request',
		/abTestRule\.confidence must be at least 0\.5/,
	],
	[
		{ metric: 'ctr', confidence: 1, decide: 'whenMet', deadlineAfterHours: 3 },
		'invalid_request',
		/abTestRule\.confidence must be at most 0\.9999/,
	],
	[
		{ metric: 'ctr', minSamplePerVariant: 0, decide: 'whenMet', deadlineAfterHours: 3 },
		'invalid_request',
		/minSamplePerVariant must be at least 1/,
	],
	[
		{ metric: 'ctr', decide: 'whenMet', deadlineAfterHours: -1 },
		'invalid_request',
		/deadlineAfterHours must be at least 0/,
	],
	[
		{ metric: 'ctr', decide: 'whenMet', deadlineAfterHours: 3, atDeadline: 'random' },
		'invalid_request',
		/atDeadline must be one of leader, tie/,
	],
	['ctr', 'invalid_request', /abTestRule must be a JSON object/],
])('when the rule is %j, then a 400 names the field', (value, code, message) => {
	expect(refusal(value)).toMatchObject({
		status: 400,
		code,
		message: expect.stringMatching(message),
	});
});
