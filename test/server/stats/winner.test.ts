import { startTestServer, type TestServer } from '../../support/server';
import { storeEvents } from '../../support/events';
import { seedKnownCampaign } from '../../support/stats-seed';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

/**
 * A campaign whose variants were sent to `sent` recipients each, of whom the first `clickers`
 * clicked (some twice, which must not matter) and the first `converters` converted; plus a hold-out.
 */
async function abCampaign(
	variants: Record<string, { sent: number; clickers: number; converters?: number }>,
): Promise<string> {
	const names = Object.keys(variants);
	const id = (
		await server.api('POST', '/api/v1/campaigns', {
			name: 'ab',
			variants: names.map((name) => ({ name })),
			holdout: 0.1,
		})
	).body.id;
	const events: Parameters<typeof storeEvents>[1] = [];
	for (const [variant, { sent, clickers, converters = 0 }] of Object.entries(variants)) {
		await server.sql(
			`INSERT INTO messages (campaign_id, recipient, variant, segments, status)
			 SELECT $1, '+49170' || $3 || lpad(i::text, 6, '0'), $2, 1, 'sent' FROM generate_series(1, $4::int) i`,
			[id, variant, names.indexOf(variant), sent],
		);
		for (let i = 1; i <= Math.max(clickers, converters); i++) {
			const recipient = `+49170${names.indexOf(variant)}${String(i).padStart(6, '0')}`;
			const base = {
				campaignId: id,
				recipient,
				variant,
				url: 'https://shop.example/',
				occurredAt: new Date('2026-11-20T10:00:00Z'),
			};
			if (i <= clickers) events.push({ ...base, eventKey: `${id}-c-${recipient}`, type: 'click' });
			if (i <= clickers && i % 3 === 0)
				events.push({ ...base, eventKey: `${id}-c2-${recipient}`, type: 'click' });
			if (i <= converters)
				events.push({
					...base,
					eventKey: `${id}-v-${recipient}`,
					type: 'conversion',
					conversionName: 'buy',
				});
		}
	}
	// a hold-out that clicked a lot must never win or take part in the test
	await server.sql(
		`INSERT INTO messages (campaign_id, recipient, variant, status) SELECT $1, '+4917099' || lpad(i::text, 6, '0'), 'holdout', 'holdout' FROM generate_series(1, 50) i`,
		[id],
	);
	for (let i = 1; i <= 50; i++) {
		events.push({
			campaignId: id,
			recipient: `+4917099${String(i).padStart(6, '0')}`,
			variant: 'holdout',
			type: 'click',
			eventKey: `${id}-h-${i}`,
			occurredAt: new Date('2026-11-20T10:00:00Z'),
		});
	}
	await storeEvents(server, events);
	return id;
}

const winner = (id: string, body: unknown) =>
	server.api('POST', `/api/v1/campaigns/${id}/winner`, body);

test('when A leads B 12 % to 10 % on 1000 each, then p = 0.1529 and there is no winner yet, with the sample it would need', async () => {
	const id = await abCampaign({
		A: { sent: 1000, clickers: 120 },
		B: { sent: 1000, clickers: 100 },
	});
	const res = await winner(id, { metric: 'ctr' });
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({
		metric: 'ctr',
		confidence: 0.95,
		winner: null,
		leader: 'A',
		runnerUp: 'B',
		significant: false,
		minSampleReached: true,
		minSamplePerVariant: 100,
		requiredSamplePerVariant: 3841,
		recorded: false,
	});
	expect(res.body.pValue).toBeCloseTo(0.1529177818639462, 9);
	expect(res.body.variants).toEqual([
		{ variant: 'A', recipients: 1000, successes: 120, rate: 0.12 },
		{ variant: 'B', recipients: 1000, successes: 100, rate: 0.1 },
	]);
});

test('when B leads 20 % to 15 %, then it wins at 95 % (p = 0.00326) and recording stores it on the campaign', async () => {
	const id = await abCampaign({
		A: { sent: 1000, clickers: 150 },
		B: { sent: 1000, clickers: 200 },
	});
	const dry = await winner(id, { metric: 'ctr' });
	expect(dry.body).toMatchObject({
		winner: 'B',
		leader: 'B',
		runnerUp: 'A',
		significant: true,
		recorded: false,
		requiredSamplePerVariant: 906,
	});
	expect(dry.body.pValue).toBeCloseTo(0.0032562696284120633, 10);
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.winner).toBeNull();

	const strict = await winner(id, { metric: 'ctr', confidence: 0.999 });
	expect(strict.body).toMatchObject({ winner: null, leader: 'B', significant: false });

	const recorded = await winner(id, { metric: 'ctr', record: true });
	expect(recorded.body).toMatchObject({ winner: 'B', recorded: true });
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.winner).toBe('B');
	expect((await server.api('GET', `/api/v1/campaigns/${id}/stats`)).body.winner).toBe('B');
	const holdout = await server.api(
		'GET',
		`/api/v1/campaigns/${id}/recipients?variant=holdout&limit=1000`,
	);
	expect(holdout.body.recipients).toHaveLength(50);
});

test('when the difference is significant but below the minimum sample, then there is no winner and nothing is recorded', async () => {
	const id = await abCampaign({ A: { sent: 100, clickers: 30 }, B: { sent: 100, clickers: 10 } });
	const res = await winner(id, { metric: 'ctr', minSamplePerVariant: 500, record: true });
	expect(res.body).toMatchObject({
		winner: null,
		leader: 'A',
		significant: true,
		minSampleReached: false,
		recorded: false,
	});
	expect(res.body.pValue).toBeCloseTo(0.0004069520174449609, 10);
	expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.winner).toBeNull();
});

test('when the metric is the conversion rate, then converters decide, not clickers', async () => {
	const id = await abCampaign({
		A: { sent: 500, clickers: 200, converters: 40 },
		B: { sent: 500, clickers: 100, converters: 60 },
	});
	const byClicks = await winner(id, { metric: 'ctr' });
	expect(byClicks.body.leader).toBe('A');
	const byConversions = await winner(id, { metric: 'conversionRate' });
	expect(byConversions.body).toMatchObject({
		metric: 'conversionRate',
		leader: 'B',
		runnerUp: 'A',
		winner: 'B',
	});
	expect(byConversions.body.pValue).toBeCloseTo(0.035014981019662536, 10);
});

test('when the campaign has no variants to compare, then there is no leader and no p-value', async () => {
	const id = (await server.api('POST', '/api/v1/campaigns', { name: 'plain' })).body.id;
	const res = await winner(id, { metric: 'ctr' });
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({
		winner: null,
		leader: null,
		runnerUp: null,
		pValue: null,
		significant: false,
		variants: [],
	});
});

test('when the seeded A/B campaign is judged, then the hold-out is excluded from the variants', async () => {
	const id = await seedKnownCampaign(server, 'winner seed');
	const res = await winner(id, { metric: 'conversionRate' });
	expect(res.body.variants.map((v: any) => v.variant)).toEqual(['A', 'B']);
	expect(res.body.variants[1]).toEqual({ variant: 'B', recipients: 2, successes: 1, rate: 0.5 });
});

test.each([
	['an unknown metric', { metric: 'clicks' }, 400, 'invalid_metric'],
	['no metric', {}, 400, 'invalid_metric'],
	['a confidence of 1', { metric: 'ctr', confidence: 1 }, 400, 'invalid_request'],
	['a confidence as text', { metric: 'ctr', confidence: '95%' }, 400, 'invalid_request'],
	[
		'a fractional minimum sample',
		{ metric: 'ctr', minSamplePerVariant: 2.5 },
		400,
		'invalid_request',
	],
	['record as text', { metric: 'ctr', record: 'yes' }, 400, 'invalid_request'],
	['an unknown field', { metric: 'ctr', alpha: 0.05 }, 400, 'invalid_request'],
])(
	'when the winner is asked with %s, then the answer is 400 and nothing is recorded',
	async (_name, body, status, code) => {
		const id = await abCampaign({ A: { sent: 100, clickers: 30 }, B: { sent: 100, clickers: 10 } });
		const res = await winner(id, { record: true, ...body });
		expect(res.status).toBe(status);
		expect(res.body.error.code).toBe(code);
		expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.winner).toBeNull();
	},
);

test('when the winner of an unknown campaign is asked, then the answer is 404', async () => {
	const res = await winner('cmp_unknown', { metric: 'ctr' });
	expect(res.status).toBe(404);
});
