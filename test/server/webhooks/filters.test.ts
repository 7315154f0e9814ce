import { randomBytes } from 'node:crypto';
import { insertEvents } from '../../../server/src/events/store';
import type { NewEvent } from '../../../server/src/events/types';
import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

// The dispatcher is off: these tests read the outbox rows the events insert writes.
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_DISPATCHER: 'off', DATABASE_POOL_SIZE: '8' });
});
afterAll(() => server.close());

const alice = '+4915111111111';
const bob = '+4915122222222';

async function campaign() {
	const res = await server.api('POST', '/api/v1/campaigns', {
		name: 'filters',
		variants: [{ name: 'A' }, { name: 'B' }],
	});
	return res.body.id as string;
}

async function subscribe(campaignId: string, events: string[], filters?: Record<string, unknown>) {
	const res = await server.api('POST', '/api/v1/webhooks', {
		url: `https://n8n.example/webhook/${randomBytes(6).toString('hex')}`,
		events,
		campaignId,
		filters,
	});
	expect(res.status).toBe(201);
	return res.body.id as string;
}

/** The events (by click id or conversion name) the subscription has deliveries for. */
async function delivered(subscriptionId: string) {
	const rows = await server.sql<{ what: string }>(
		`SELECT coalesce(e.click_id, e.conversion_name, e.type) AS what
		 FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
		 WHERE d.subscription_id = $1 ORDER BY e.id`,
		[subscriptionId],
	);
	return rows.map((r) => r.what);
}

const click = (
	campaignId: string,
	recipient: string,
	clickId: string,
	more: Partial<NewEvent> = {},
) => ({
	type: 'click' as const,
	campaignId,
	recipient,
	clickId,
	url: 'https://shop.example/sale',
	variant: 'A',
	...more,
});

describe('the subscriptions API', () => {
	test('when a webhook is created with filters, then they are stored and shown', async () => {
		const campaignId = await campaign();
		const filters = {
			firstPerRecipient: true,
			urlContains: '/pricing',
			variant: 'B',
			conversionName: 'purchase',
			wave: 'Reminder',
		};
		const res = await server.api('POST', '/api/v1/webhooks', {
			url: 'https://n8n.example/webhook/f',
			events: ['click', 'conversion'],
			campaignId,
			filters,
		});
		expect(res.status).toBe(201);
		expect(res.body.filters).toEqual(filters);
		expect((await server.api('GET', `/api/v1/webhooks/${res.body.id}`)).body.filters).toEqual(
			filters,
		);
	});

	test('when a webhook is created without filters, then every filter is off', async () => {
		const campaignId = await campaign();
		const res = await server.api('POST', '/api/v1/webhooks', {
			url: 'https://n8n.example/webhook/nf',
			events: ['click'],
			campaignId,
		});
		expect(res.body.filters).toEqual({
			firstPerRecipient: false,
			urlContains: null,
			variant: null,
			conversionName: null,
			wave: null,
		});
	});

	const count = async () =>
		(await server.sql<{ n: number }>('SELECT count(*)::int AS n FROM webhook_subscriptions'))[0].n;

	test.each([
		['filters that are not an object', ['click'], 'filters'],
		['an unknown filter', { firstClick: true }, 'filters has unknown field(s): firstClick'],
		['an empty wave', { wave: '' }, 'filters.wave'],
		['a wave that is too long', { wave: 'w'.repeat(101) }, 'filters.wave'],
		[
			'firstPerRecipient that is not a boolean',
			{ firstPerRecipient: 'yes' },
			'filters.firstPerRecipient',
		],
		['urlContains that is a number', { urlContains: 42 }, 'filters.urlContains'],
		['an empty variant', { variant: '' }, 'filters.variant'],
		[
			'a conversionName that is too long',
			{ conversionName: 'x'.repeat(101) },
			'filters.conversionName',
		],
	])(
		'when the body has %s, then 400 naming the field and nothing is stored',
		async (_name, filters, field) => {
			const before = await count();
			const res = await server.api('POST', '/api/v1/webhooks', {
				url: 'https://n8n.example/webhook/bad',
				events: ['click'],
				filters,
			});
			expect(res.status).toBe(400);
			expect(res.body.error.code).toBe('invalid_request');
			expect(res.body.error.message).toContain(field);
			expect(await count()).toBe(before);
		},
	);
});

describe('filters in the outbox', () => {
	test('when urlContains is set, then only events whose link contains it (any case) get a delivery', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click', 'delivered'], { urlContains: '/Pricing' });
		await storeEvents(server, [
			click(campaignId, alice, 'sale', { url: 'https://shop.example/sale' }),
			click(campaignId, alice, 'pricing', { url: 'https://shop.example/pricing?plan=pro' }),
			// No link on a delivery report: the link filter does not apply to it.
			{ type: 'delivered', campaignId, recipient: alice },
		]);
		expect(await delivered(sub)).toEqual(['pricing', 'delivered']);
	});

	test('when variant is set, then only events of that variant get a delivery', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click', 'failed'], { variant: 'B' });
		await storeEvents(server, [
			click(campaignId, alice, 'a', { variant: 'A' }),
			click(campaignId, bob, 'b', { variant: 'B' }),
			{ type: 'failed', campaignId, recipient: alice, variant: 'A' },
			{ type: 'failed', campaignId, recipient: bob, variant: 'B' },
		]);
		expect(await delivered(sub)).toEqual(['b', 'failed']);
	});

	test('when wave is set, then only events of that send wave get a delivery', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click', 'conversion'], { wave: 'Reminder' });
		await storeEvents(server, [
			click(campaignId, alice, 'initial', { wave: 'Initial' }),
			click(campaignId, bob, 'reminder', { wave: 'Reminder' }),
			{
				type: 'conversion',
				campaignId,
				recipient: bob,
				conversionName: 'reminded',
				wave: 'Reminder',
			},
			{
				type: 'conversion',
				campaignId,
				recipient: alice,
				conversionName: 'first',
				wave: 'Initial',
			},
		]);
		expect(await delivered(sub)).toEqual(['reminder', 'reminded']);
	});

	test('when conversionName is set, then only conversions of that name get a delivery and clicks still do', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click', 'conversion'], {
			conversionName: 'purchase',
		});
		await storeEvents(server, [
			{ type: 'conversion', campaignId, recipient: alice, conversionName: 'signup' },
			{ type: 'conversion', campaignId, recipient: alice, conversionName: 'purchase' },
			click(campaignId, bob, 'click'),
		]);
		expect(await delivered(sub)).toEqual(['purchase', 'click']);
	});

	test('when an event matches no subscription filter, then no delivery row is written for it and the insert says so', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click'], { urlContains: 'nothing-links-here' });
		const result = await storeEvents(server, [
			click(campaignId, alice, 'x'),
			click(campaignId, bob, 'y'),
		]);
		expect(result.inserted).toHaveLength(2);
		expect(result.deliveries).toBe(0);
		expect(await delivered(sub)).toEqual([]);
	});

	test('when several filters are set, then an event needs to match all of them', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click'], { urlContains: 'pricing', variant: 'B' });
		await storeEvents(server, [
			click(campaignId, alice, 'pricing-A', { url: 'https://shop.example/pricing', variant: 'A' }),
			click(campaignId, alice, 'sale-B', { url: 'https://shop.example/sale', variant: 'B' }),
			click(campaignId, alice, 'pricing-B', { url: 'https://shop.example/pricing', variant: 'B' }),
		]);
		expect(await delivered(sub)).toEqual(['pricing-B']);
	});
});

describe('first event per recipient', () => {
	test('when a recipient clicks twice in one batch and again later, then only the first click gets a delivery', async () => {
		const campaignId = await campaign();
		const first = await subscribe(campaignId, ['click', 'view'], { firstPerRecipient: true });
		const every = await subscribe(campaignId, ['click', 'view']);
		await storeEvents(server, [
			click(campaignId, alice, 'a1'),
			click(campaignId, alice, 'a2'),
			click(campaignId, bob, 'b1'),
		]);
		await storeEvents(server, [
			click(campaignId, alice, 'a3'),
			{ type: 'view', campaignId, recipient: alice },
		]);
		// Per recipient and per event type: Alice's first click, Bob's first click, Alice's first view.
		expect(await delivered(first)).toEqual(['a1', 'b1', 'view']);
		expect(await delivered(every)).toEqual(['a1', 'a2', 'b1', 'a3', 'view']);
	});

	test('when a subscription spans campaigns, then the first event counts per campaign', async () => {
		const one = await campaign();
		const two = await campaign();
		const res = await server.api('POST', '/api/v1/webhooks', {
			url: 'https://n8n.example/webhook/all',
			events: ['click'],
			filters: { firstPerRecipient: true },
		});
		await storeEvents(server, [
			click(one, alice, 'one-1'),
			click(two, alice, 'two-1'),
			click(one, alice, 'one-2'),
		]);
		expect(await delivered(res.body.id)).toEqual(['one-1', 'two-1']);
		await server.api('DELETE', `/api/v1/webhooks/${res.body.id}`);
	});

	test('when combined with urlContains, then it is the first matching event that is delivered', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click'], {
			firstPerRecipient: true,
			urlContains: 'pricing',
		});
		await storeEvents(server, [
			click(campaignId, alice, 'sale', { url: 'https://shop.example/sale' }),
		]);
		await storeEvents(server, [
			click(campaignId, alice, 'pricing-1', { url: 'https://shop.example/pricing' }),
		]);
		await storeEvents(server, [
			click(campaignId, alice, 'pricing-2', { url: 'https://shop.example/pricing' }),
		]);
		expect(await delivered(sub)).toEqual(['pricing-1']);
	});

	test('when two batches with clicks of the same recipients overlap in time, then the second waits for the first and adds no delivery', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click'], { firstPerRecipient: true });
		const events = (tag: string, recipients: string[]) =>
			recipients.map((r, i) => ({
				eventKey: `${tag}${i}`,
				occurredAt: new Date(),
				...click(campaignId, r, `${tag}${i}`),
			}));

		let second: Promise<unknown> | undefined;
		await server.db.withTransaction(async (tx) => {
			await insertEvents(tx, events('first', [alice, bob]));
			// The other batch, in the opposite recipient order, runs while this one is uncommitted.
			second = insertEvents(server.db, events('second', [bob, alice]));
			await waitFor(
				async () =>
					(
						await server.sql<{ n: number }>(
							`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO events%'`,
						)
					)[0].n,
				{ what: "the second batch to wait on the first one's delivery keys" },
			);
		});
		await second;
		expect(await delivered(sub)).toEqual(['first0', 'first1']);
		expect(
			await server.sql('SELECT click_id FROM events WHERE campaign_id = $1 ORDER BY click_id', [
				campaignId,
			]),
		).toHaveLength(4);
	});

	test('when a batch that took the first event rolls back, then a concurrent batch delivers its event instead', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click'], { firstPerRecipient: true });
		let second: Promise<unknown> | undefined;
		await expect(
			server.db.withTransaction(async (tx) => {
				await insertEvents(tx, [
					{
						eventKey: 'rolled-back',
						occurredAt: new Date(),
						...click(campaignId, alice, 'rolled-back'),
					},
				]);
				second = insertEvents(server.db, [
					{ eventKey: 'kept', occurredAt: new Date(), ...click(campaignId, alice, 'kept') },
				]);
				await waitFor(
					async () =>
						(
							await server.sql<{ n: number }>(
								`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO events%'`,
							)
						)[0].n,
					{ what: 'the second batch to wait on the first one' },
				);
				throw new Error('roll back');
			}),
		).rejects.toThrow('roll back');
		await second;
		expect(await delivered(sub)).toEqual(['kept']);
	});

	test('when many concurrent batches carry clicks of the same recipient, then exactly one is delivered', async () => {
		const campaignId = await campaign();
		const sub = await subscribe(campaignId, ['click'], { firstPerRecipient: true });
		await Promise.all(
			Array.from({ length: 12 }, (_, b) =>
				storeEvents(server, [
					click(campaignId, alice, `b${b}-1`),
					click(campaignId, alice, `b${b}-2`),
				]),
			),
		);
		expect(
			await server.sql('SELECT 1 FROM events WHERE campaign_id = $1', [campaignId]),
		).toHaveLength(24);
		expect(await delivered(sub)).toHaveLength(1);
	});
});
