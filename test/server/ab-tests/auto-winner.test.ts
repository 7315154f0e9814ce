import { closeAfterAll } from '../../support/close-after-all';
import { seedAbCampaign } from '../../support/ab-test-seed';
import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

const track = closeAfterAll();
let server: TestServer;
let hook: Receiver;
beforeAll(async () => {
	server = await track(
		startTestServer({ AB_TEST_CHECK_INTERVAL_MS: '100', WEBHOOK_RETRY_SCHEDULE: '100ms' }),
	);
	hook = await track(startReceiver());
	await server.api('POST', '/api/v1/webhooks', { url: hook.url, events: ['winner'] });
});

const decided = (id: string) =>
	waitFor(async () => (await server.api('GET', `/api/v1/campaigns/${id}`)).body, {
		what: `campaign ${id}'s test to be decided`,
		until: (c) => c.abTestResult !== null,
	});

const winnerPayloads = (id: string) =>
	hook.received.map((r) => JSON.parse(r.body)).filter((p) => p.campaignId === id);

/** At once: the decision time and the deadline are the first send. */
const atOnce = (atDeadline: 'leader' | 'tie', extra: Record<string, unknown> = {}) => ({
	metric: 'ctr',
	decide: 'afterDuration',
	decideAfterHours: 0,
	deadlineAfterHours: 0,
	atDeadline,
	...extra,
});

test('when B leads significantly (200 vs 150 of 1000, p = 0.00326), then B is recorded and one winner event calls the workflow with its text, rates and the hold-out', async () => {
	const id = await seedAbCampaign(
		server,
		{
			A: { sent: 1000, clickers: 150, text: 'Sale today' },
			B: { sent: 1000, clickers: 200, text: 'Only today: -20 %' },
		},
		{ holdout: 250, abTestRule: { metric: 'ctr', decide: 'whenMet', deadlineAfterHours: 72 } },
	);
	const campaign = await decided(id);
	expect(campaign.winner).toBe('B');
	expect(campaign.abTestResult).toMatchObject({
		variant: 'B',
		text: 'Only today: -20 %',
		tie: false,
		tied: [],
		decidedBy: 'significance',
		significant: true,
		metric: 'ctr',
		confidence: 0.95,
		minSamplePerVariant: 100,
		holdoutRecipients: 250,
		variants: [
			{ variant: 'A', recipients: 1000, successes: 150, rate: 0.15 },
			{ variant: 'B', recipients: 1000, successes: 200, rate: 0.2 },
		],
	});
	expect(campaign.abTestResult.pValue).toBeCloseTo(0.0032562696284120633, 10);
	expect(
		(
			await server.sql(`SELECT ab_test_tie, ab_test_decided_at FROM campaigns WHERE id = $1`, [id])
		)[0],
	).toMatchObject({
		ab_test_tie: false,
		ab_test_decided_at: new Date(campaign.abTestResult.decidedAt),
	});

	const events = (await server.api('GET', `/api/v1/campaigns/${id}/events?type=winner`)).body
		.events;
	expect(events).toHaveLength(1);
	expect(events[0]).toMatchObject({
		type: 'winner',
		variant: 'B',
		recipient: null,
		winner: campaign.abTestResult,
	});

	await waitFor(() => winnerPayloads(id), {
		what: 'the winner webhook',
		until: (p) => p.length === 1,
	});
	expect(winnerPayloads(id)[0]).toMatchObject({
		type: 'winner',
		campaignId: id,
		campaign: { id, name: 'auto ab' },
		variant: 'B',
		winner: campaign.abTestResult,
	});
});

test('when the deadline comes without significance (120 vs 100 of 1000, p = 0.1529), then the leader A is taken as a deadline fallback', async () => {
	const id = await seedAbCampaign(
		server,
		{ A: { sent: 1000, clickers: 120 }, B: { sent: 1000, clickers: 100 } },
		{ abTestRule: atOnce('leader') },
	);
	const campaign = await decided(id);
	expect(campaign.winner).toBe('A');
	expect(campaign.abTestResult).toMatchObject({
		variant: 'A',
		tie: false,
		decidedBy: 'deadline',
		significant: false,
		holdoutRecipients: 0,
	});
	expect(campaign.abTestResult.pValue).toBeCloseTo(0.1529177818639462, 9);
});

test('when the rule says a deadline without significance is a tie, then no winner is recorded and the event names none', async () => {
	const id = await seedAbCampaign(
		server,
		{ A: { sent: 1000, clickers: 120 }, B: { sent: 1000, clickers: 100 } },
		{ abTestRule: atOnce('tie') },
	);
	const campaign = await decided(id);
	expect(campaign.winner).toBeNull();
	expect(campaign.abTestResult).toMatchObject({
		variant: null,
		text: null,
		tie: true,
		tied: ['A', 'B'],
		decidedBy: 'deadline',
	});
	expect(
		(await server.sql(`SELECT ab_test_tie FROM campaigns WHERE id = $1`, [id]))[0].ab_test_tie,
	).toBe(true);
	await waitFor(() => winnerPayloads(id), {
		what: 'the tie webhook',
		until: (p) => p.length === 1,
	});
	expect(winnerPayloads(id)[0]).toMatchObject({
		type: 'winner',
		variant: null,
		winner: { tie: true, variant: null },
	});
});

test('when both rates are equal at the deadline, then it is a tie even though the rule would take a leader', async () => {
	const id = await seedAbCampaign(
		server,
		{ A: { sent: 400, clickers: 40 }, B: { sent: 400, clickers: 40 } },
		{ abTestRule: atOnce('leader') },
	);
	const campaign = await decided(id);
	expect(campaign.winner).toBeNull();
	expect(campaign.abTestResult).toMatchObject({
		variant: null,
		tie: true,
		tied: ['A', 'B'],
		pValue: 1,
	});
});

test('when the metric is the conversion rate, then converters decide: B converts 60 vs 40 of 500 (p = 0.0350) though A has more clicks', async () => {
	const id = await seedAbCampaign(
		server,
		{
			A: { sent: 500, clickers: 200, converters: 40 },
			B: { sent: 500, clickers: 100, converters: 60 },
		},
		{ abTestRule: { metric: 'conversionRate', decide: 'whenMet', deadlineAfterHours: 24 } },
	);
	const campaign = await decided(id);
	expect(campaign.abTestResult).toMatchObject({
		variant: 'B',
		decidedBy: 'significance',
		metric: 'conversionRate',
	});
	expect(campaign.abTestResult.pValue).toBeCloseTo(0.035014981019662536, 10);
});

test('when a winner was picked by hand first, then the rule decides nothing and stores no event', async () => {
	const id = await seedAbCampaign(server, {
		A: { sent: 1000, clickers: 150 },
		B: { sent: 1000, clickers: 200 },
	});
	await server.api('POST', `/api/v1/campaigns/${id}/winner`, { metric: 'ctr', record: true });
	await server.api('PATCH', `/api/v1/campaigns/${id}`, { abTestRule: atOnce('leader') });
	// A later test decided after this one was due: the checker has passed over this campaign.
	const later = await seedAbCampaign(
		server,
		{ A: { sent: 10, clickers: 1 }, B: { sent: 10, clickers: 2 } },
		{ abTestRule: atOnce('leader') },
	);
	await decided(later);
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body).toMatchObject({
		winner: 'B',
		abTestResult: null,
	});
	expect(
		(await server.api('GET', `/api/v1/campaigns/${id}/events?type=winner`)).body.events,
	).toEqual([]);
});

test('when the test has decided, then the stats are unchanged by the winner event', async () => {
	const id = await seedAbCampaign(
		server,
		{ A: { sent: 300, clickers: 30 }, B: { sent: 300, clickers: 90 } },
		{ abTestRule: atOnce('leader') },
	);
	await decided(id);
	const stats = (await server.api('GET', `/api/v1/campaigns/${id}/stats`)).body;
	expect(stats.totals).toMatchObject({
		recipients: 600,
		sent: 600,
		clicks: 120,
		uniqueClickers: 120,
	});
	expect(stats.winner).toBe('B');
});

test('when clicks arrive after the checker looked at a test, then the test is decided on them', async () => {
	const id = await seedAbCampaign(
		server,
		{ A: { sent: 1000, clickers: 100 }, B: { sent: 1000, clickers: 100 } },
		{
			abTestRule: { metric: 'ctr', decide: 'whenMet', deadlineAfterHours: 24 },
		},
	);
	// the checker notes the first send on the pass that first looks at the test
	await waitFor(
		async () =>
			(await server.sql(`SELECT ab_test_started_at FROM campaigns WHERE id = $1`, [id]))[0]
				.ab_test_started_at,
		{
			what: 'the checker to look at the test',
		},
	);
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.abTestResult).toBeNull();
	await storeEvents(
		server,
		Array.from({ length: 60 }, (_, i) => ({
			type: 'click' as const,
			campaignId: id,
			recipient: `+491701${String(101 + i).padStart(6, '0')}`,
			variant: 'B',
			url: 'https://shop.example/',
		})),
	);
	// 160 vs 100 of 1000: pooled p = 0.13, SE = √(0.13 · 0.87 · 0.002) = 0.01504, z = 3.99
	const campaign = await decided(id);
	expect(campaign.abTestResult).toMatchObject({
		variant: 'B',
		decidedBy: 'significance',
		variants: [
			{ variant: 'A', recipients: 1000, successes: 100 },
			{ variant: 'B', recipients: 1000, successes: 160 },
		],
	});
});
