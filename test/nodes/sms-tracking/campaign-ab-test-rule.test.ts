import { runNode } from '../../support/n8n';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const credentials = () => ({ smsTrackingApi: { baseUrl: server.url, apiKey: server.apiKey } });
const picked = (id: string) => ({ __rl: true, mode: 'list', value: id });
const abCampaign = async () =>
	(
		await server.api('POST', '/api/v1/campaigns', {
			name: 'rule by node',
			variants: [{ name: 'A' }, { name: 'B' }],
		})
	).body.id as string;

const update = (campaignId: string, abTestRule: Record<string, unknown>, continueOnFail = false) =>
	runNode({
		parameters: {
			resource: 'campaign',
			operation: 'update',
			campaignId: picked(campaignId),
			abTestRule,
		} as never,
		items: [{ order: 7 }],
		credentials: credentials(),
		continueOnFail,
	});

test('when the A/B Test Rule collection is filled with plain labels, then the server stores the rule they mean', async () => {
	const id = await abCampaign();
	const run = await update(id, {
		metric: 'conversionRate',
		confidence: '0.99',
		minSamplePerVariant: 250,
		decide: 'afterDuration',
		decideAfterHours: 12,
		deadlineAfterHours: 48,
		atDeadline: 'tie',
	});
	expect(run.error).toBeUndefined();
	const expected = {
		metric: 'conversionRate',
		confidence: 0.99,
		minSamplePerVariant: 250,
		decide: 'afterDuration',
		decideAfterHours: 12,
		deadlineAfterHours: 48,
		atDeadline: 'tie',
	};
	expect(run.outputs[0][0].json.abTestRule).toEqual(expected);
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.abTestRule).toEqual(expected);
});

test('when only Decide "As Soon As Clear" is added, then the defaults make a whole rule with a 72-hour deadline', async () => {
	const id = await abCampaign();
	const run = await update(id, { decide: 'whenMet' });
	expect(run.error).toBeUndefined();
	expect(run.outputs[0][0].json.abTestRule).toEqual({
		metric: 'ctr',
		confidence: 0.95,
		minSamplePerVariant: 100,
		decide: 'whenMet',
		deadlineAfterHours: 72,
		atDeadline: 'leader',
	});
});

test('when Decide "At a Time" comes with its times, then they are sent as instants', async () => {
	const id = await abCampaign();
	const decideAt = new Date(Date.now() + 86_400_000).toISOString();
	const deadlineAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
	const run = await update(id, { decide: 'atTime', decideAt, deadlineAt });
	expect(run.error).toBeUndefined();
	expect(run.outputs[0][0].json.abTestRule).toMatchObject({
		decide: 'atTime',
		decideAt,
		deadlineAt,
	});
});

test('when Decide "At a Time" has no Decide At, then the node stops with an error naming the field and nothing is stored', async () => {
	const id = await abCampaign();
	const run = await update(id, { decide: 'atTime' });
	expect(run.error?.message).toMatch(/Decide At/);
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.abTestRule).toBeNull();
});

test('when the deadline is before the decision, then the server refuses it and Continue On Fail keeps the item beside the error', async () => {
	const id = await abCampaign();
	const run = await update(
		id,
		{ decide: 'afterDuration', decideAfterHours: 48, deadlineAfterHours: 24 },
		true,
	);
	expect(run.error).toBeUndefined();
	expect(run.outputs[0][0].json).toMatchObject({
		order: 7,
		error: expect.stringMatching(/deadline/i),
	});
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.abTestRule).toBeNull();
});

test('when the campaign has no A/B test, then the server says so and the node fails with that message', async () => {
	const id = (await server.api('POST', '/api/v1/campaigns', { name: 'no ab' })).body.id;
	const run = await update(id, { decide: 'whenMet' });
	expect(run.error).toBeDefined();
	expect(`${run.error!.message} ${run.error!.description ?? ''}`).toMatch(/no A\/B test|variants/);
});
