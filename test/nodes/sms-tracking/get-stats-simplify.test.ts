import { storeEvents } from '../../support/events';
import { runNode } from '../../support/n8n';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let campaignId: string;
beforeAll(async () => {
	server = await startTestServer();
	campaignId = (
		await server.api('POST', '/api/v1/campaigns', {
			name: 'simplify',
			currency: 'EUR',
			variants: [
				{ name: 'A', weight: 1 },
				{ name: 'B', weight: 1 },
			],
		})
	).body.id as string;
	const sends = [
		['+4915133000001', 'A'],
		['+4915133000002', 'A'],
		['+4915133000003', 'B'],
	];
	await server.api('POST', `/api/v1/campaigns/${campaignId}/links`, {
		recipients: sends.map(([recipient, variant]) => ({
			recipient,
			variant,
			urls: ['https://shop.example/'],
		})),
	});
	await server.api('POST', `/api/v1/campaigns/${campaignId}/messages`, {
		messages: sends.map(([recipient, variant], i) => ({
			recipient,
			variant,
			provider: 'seven',
			providerMessageId: `simplify-${i}`,
			status: 'sent',
		})),
	});
});
afterAll(() => server.close());

const getStats = (typeVersion: number, parameters: Record<string, unknown> = {}) =>
	runNode({
		parameters: { resource: 'campaign', operation: 'getStats', campaignId, ...parameters },
		items: [{}],
		credentials: { smsTrackingApi: { baseUrl: server.url, apiKey: server.apiKey } },
		typeVersion,
	});

test('when a new node (version 2) gets stats, then it returns flat totals and one item per variant', async () => {
	const run = await getStats(2);
	expect(run.error).toBeUndefined();
	const items = run.outputs[0].map((o) => o.json);
	expect(items.map((i) => i.variant)).toEqual([null, 'A', 'B']);
	expect(items[0]).toMatchObject({ campaignId, currency: 'EUR', sent: 3, recipients: 3 });
	expect(items[1]).toMatchObject({ campaignId, currency: 'EUR', sent: 2 });
	expect(items[2]).toMatchObject({ campaignId, currency: 'EUR', sent: 1 });
	for (const item of items) {
		expect(item).not.toHaveProperty('totals');
		expect(Object.values(item).some((v) => typeof v === 'object' && v !== null)).toBe(false);
	}
	expect(run.outputs[0].every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
});

test('when Simplify is off, then it returns the raw nested answer as one item', async () => {
	const run = await getStats(2, { simplify: false });
	expect(run.outputs[0]).toHaveLength(1);
	expect(run.outputs[0][0].json).toMatchObject({ campaignId, totals: { sent: 3 } });
	expect(run.outputs[0][0].json.variants).toHaveLength(2);
});

test('when a workflow saved with version 1 left Simplify unset, then it still gets the raw answer', async () => {
	const run = await getStats(1);
	expect(run.outputs[0]).toHaveLength(1);
	expect(run.outputs[0][0].json).toHaveProperty('breakdowns');
});

test('when Simplify is on and a breakdown is chosen, then each value of it is one flat item with its rates', async () => {
	await storeEvents(server, [
		{
			type: 'click',
			campaignId,
			recipient: '+4915133000001',
			variant: 'A',
			url: 'https://shop.example/',
			deviceType: 'mobile',
		},
		{
			type: 'click',
			campaignId,
			recipient: '+4915133000001',
			variant: 'A',
			url: 'https://shop.example/',
			deviceType: 'mobile',
		},
	]);
	const run = await getStats(2, { statsOptions: { breakdown: 'deviceType' } });
	expect(run.error).toBeUndefined();
	expect(run.outputs[0].map((o) => o.json)).toEqual([
		expect.objectContaining({
			campaignId,
			breakdown: 'deviceType',
			key: 'mobile',
			recipients: 1,
			clicks: 2,
			uniqueClickers: 1,
			clickRate: 1,
			conversions: 0,
			conversionRate: 0,
			revenue: 0,
		}),
	]);
});
