import { startTestServer, type TestServer } from '../../support/server';
import { seedAbCampaign } from '../../support/ab-test-seed';
import { waitFor } from '../../support/wait';

let server: TestServer;
beforeAll(async () => {
	// The checker runs often, so a decided test can be shown to refuse a new rule.
	server = await startTestServer({ AB_TEST_CHECK_INTERVAL_MS: '100' });
});
afterAll(() => server.close());

const rule = {
	metric: 'ctr',
	confidence: 0.95,
	minSamplePerVariant: 200,
	decide: 'afterDuration',
	decideAfterHours: 24,
	deadlineAfterHours: 72,
	atDeadline: 'leader',
};
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const abVariants = [
	{ name: 'A', text: 'Sale today' },
	{ name: 'B', text: 'Sale now' },
];

const campaignCount = async () =>
	(await server.sql<{ n: number }>('SELECT count(*)::int AS n FROM campaigns'))[0].n;

test('when a campaign with variants is created with a rule, then the rule is stored and shown with no result yet', async () => {
	const res = await server.api('POST', '/api/v1/campaigns', {
		name: 'ruled',
		variants: abVariants,
		abTestRule: rule,
	});
	expect(res.status).toBe(201);
	expect(res.body).toMatchObject({ abTestRule: rule, abTestResult: null, winner: null });
	expect((await server.api('GET', `/api/v1/campaigns/${res.body.id}`)).body.abTestRule).toEqual(
		rule,
	);
});

test('when the rule leaves out confidence, sample and atDeadline, then 0.95, 100 and the leader are taken', async () => {
	const res = await server.api('POST', '/api/v1/campaigns', {
		name: 'defaults',
		variants: abVariants,
		abTestRule: { metric: 'conversionRate', decide: 'whenMet', deadlineAfterHours: 48 },
	});
	expect(res.status).toBe(201);
	expect(res.body.abTestRule).toEqual({
		metric: 'conversionRate',
		confidence: 0.95,
		minSamplePerVariant: 100,
		decide: 'whenMet',
		deadlineAfterHours: 48,
		atDeadline: 'leader',
	});
});

test.each([
	['a campaign without variants', { abTestRule: rule }, 400, 'no_ab_test', /variants/],
	[
		'a confidence above 0.9999',
		{ variants: abVariants, abTestRule: { ...rule, confidence: 1.5 } },
		400,
		'invalid_request',
		/abTestRule\.confidence/,
	],
	[
		'a confidence given in percent as text',
		{ variants: abVariants, abTestRule: { ...rule, confidence: '95%' } },
		400,
		'invalid_request',
		/abTestRule\.confidence/,
	],
	[
		'an unknown metric',
		{ variants: abVariants, abTestRule: { ...rule, metric: 'opens' } },
		400,
		'invalid_metric',
		/abTestRule\.metric/,
	],
	[
		'a fractional minimum sample',
		{ variants: abVariants, abTestRule: { ...rule, minSamplePerVariant: 10.5 } },
		400,
		'invalid_request',
		/minSamplePerVariant/,
	],
	[
		'a deadline before the decision (hours)',
		{ variants: abVariants, abTestRule: { ...rule, deadlineAfterHours: 12 } },
		400,
		'deadline_before_decision',
		/deadlineAfterHours/,
	],
	[
		'a deadline before the decision (instants)',
		{
			variants: abVariants,
			abTestRule: {
				...rule,
				decide: 'atTime',
				decideAfterHours: undefined,
				deadlineAfterHours: undefined,
				decideAt: inHours(48),
				deadlineAt: inHours(24),
			},
		},
		400,
		'deadline_before_decision',
		/deadlineAt/,
	],
	[
		'a decision time in the past',
		{
			variants: abVariants,
			abTestRule: {
				...rule,
				decide: 'atTime',
				decideAfterHours: undefined,
				deadlineAfterHours: undefined,
				decideAt: '2020-01-01T00:00:00Z',
				deadlineAt: inHours(24),
			},
		},
		400,
		'invalid_request',
		/decideAt must be in the future/,
	],
	[
		'no deadline',
		{ variants: abVariants, abTestRule: { ...rule, deadlineAfterHours: undefined } },
		400,
		'invalid_request',
		/deadline/,
	],
	[
		'an instant deadline with a duration decision',
		{
			variants: abVariants,
			abTestRule: { ...rule, deadlineAfterHours: undefined, deadlineAt: inHours(100) },
		},
		400,
		'invalid_request',
		/deadlineAt does not go with decide "afterDuration"/,
	],
	[
		'an unknown decision mode',
		{ variants: abVariants, abTestRule: { ...rule, decide: 'sometime' } },
		400,
		'invalid_request',
		/abTestRule\.decide/,
	],
	[
		'an unknown field',
		{ variants: abVariants, abTestRule: { ...rule, power: 0.8 } },
		400,
		'invalid_request',
		/power/,
	],
])(
	'when a campaign is created with %s, then a clear 4xx and no campaign',
	async (_case, body, status, code, message) => {
		const before = await campaignCount();
		const res = await server.api('POST', '/api/v1/campaigns', { name: 'bad rule', ...body });
		expect(res.status).toBe(status);
		expect(res.body.error.code).toBe(code);
		expect(res.body.error.message).toMatch(message);
		expect(await campaignCount()).toBe(before);
	},
);

test('when a rule is set on a campaign without an A/B test, then 409 no_ab_test and the campaign is unchanged', async () => {
	const plain = (await server.api('POST', '/api/v1/campaigns', { name: 'plain' })).body;
	const res = await server.api('PATCH', `/api/v1/campaigns/${plain.id}`, {
		abTestRule: rule,
		name: 'renamed',
	});
	expect(res.status).toBe(409);
	expect(res.body.error.code).toBe('no_ab_test');
	expect((await server.api('GET', `/api/v1/campaigns/${plain.id}`)).body).toEqual(plain);
});

test('when the variants arrive with the rule in one update, then both are stored; null removes the rule', async () => {
	const plain = (await server.api('POST', '/api/v1/campaigns', { name: 'later ab' })).body;
	const set = await server.api('PATCH', `/api/v1/campaigns/${plain.id}`, {
		variants: abVariants,
		abTestRule: rule,
	});
	expect(set.status).toBe(200);
	expect(set.body).toMatchObject({ abTestRule: rule, variants: abVariants });
	const removed = await server.api('PATCH', `/api/v1/campaigns/${plain.id}`, { abTestRule: null });
	expect(removed.body.abTestRule).toBeNull();
});

test('when an update brings a bad rule, then 400 and nothing of the update is stored', async () => {
	const id = (
		await server.api('POST', '/api/v1/campaigns', {
			name: 'keep',
			variants: abVariants,
			abTestRule: rule,
		})
	).body.id;
	const res = await server.api('PATCH', `/api/v1/campaigns/${id}`, {
		name: 'changed',
		abTestRule: { ...rule, deadlineAfterHours: 1 },
	});
	expect(res.status).toBe(400);
	expect(res.body.error.code).toBe('deadline_before_decision');
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body).toMatchObject({
		name: 'keep',
		abTestRule: rule,
	});
});

test('when the test was decided, then its rule can no longer change (409) and stays as it was', async () => {
	const decidedAtOnce = {
		metric: 'ctr',
		decide: 'afterDuration',
		decideAfterHours: 0,
		deadlineAfterHours: 0,
		atDeadline: 'tie',
	};
	const id = await seedAbCampaign(
		server,
		{ A: { sent: 50, clickers: 5 }, B: { sent: 50, clickers: 6 } },
		{ abTestRule: decidedAtOnce },
	);
	await waitFor(
		async () => (await server.api('GET', `/api/v1/campaigns/${id}`)).body.abTestResult,
		{ what: 'the test to be decided' },
	);
	const res = await server.api('PATCH', `/api/v1/campaigns/${id}`, { abTestRule: rule });
	expect(res.status).toBe(409);
	expect(res.body.error.code).toBe('ab_test_decided');
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.abTestRule).toMatchObject(
		decidedAtOnce,
	);
});
