import { randomBytes } from 'node:crypto';
import { insertEvents } from '../../../server/src/events/store';
import { campaignWithLink, conversionsOf } from '../../support/conversions';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function start(env: Record<string, string> = {}): Promise<TestServer> {
	// A high rate limit: every request of this file comes from 127.0.0.1.
	const server = await startTestServer({ COLLECT_RATE_LIMIT: '10000', ...env });
	servers.push(server);
	return server;
}

const newClickId = () => randomBytes(16).toString('base64url').replace(/[-_]/g, 'x');

const beacon = (server: TestServer, body: Record<string, unknown>) =>
	fetch(`${server.url}/collect`, {
		method: 'POST',
		headers: { 'content-type': 'text/plain;charset=UTF-8' },
		body: JSON.stringify(body),
	});

type Link = Awaited<ReturnType<typeof campaignWithLink>>;

/** The click lands: stored through insertEvents, the one path every click writer uses. */
const landClick = (server: TestServer, link: Link, clickId: string) =>
	insertEvents(server.db, [
		{
			eventKey: `click_${clickId}`,
			type: 'click',
			occurredAt: new Date(),
			campaignId: link.campaignId,
			code: link.code,
			recipient: link.recipient,
			url: link.url,
			variant: link.variant,
			clickId,
		},
	]);

const pendingFor = (server: TestServer, clickId: string) =>
	server
		.sql<{
			n: number;
		}>(`SELECT count(*)::int AS n FROM pending_conversions WHERE click_id = $1`, [clickId])
		.then((r) => r[0].n);

describe('conversions reported before their click is stored', () => {
	let server: TestServer;
	let hook: Receiver;
	beforeAll(async () => {
		hook = await startReceiver();
		server = await start({ CONVERSIONS_PER_CLICK: '2', CONVERSION_VALUE_MAX: '1000' });
	});
	afterAll(() => hook.close());

	test('when t.js reports a conversion for a click not stored yet, then it is answered at once as pending, and stored with its click (attribution, campaign currency, webhook) when the click lands', async () => {
		const link = await campaignWithLink(server, { currency: 'EUR' });
		await server.api('POST', '/api/v1/webhooks', {
			url: hook.url,
			events: ['conversion'],
			campaignId: link.campaignId,
		});
		const clickId = newClickId();

		const res = await beacon(server, {
			clickId,
			name: 'purchase',
			value: 19.9,
			idempotencyKey: 'order-1',
		});
		expect(res.status).toBe(202);
		expect(await res.json()).toEqual({ stored: false, pending: true, duplicate: false });
		// Answered while the click is still not in the database.
		expect(await server.sql(`SELECT 1 FROM events WHERE click_id = $1`, [clickId])).toEqual([]);
		expect(await conversionsOf(server, link.campaignId)).toEqual([]);

		const stored = await landClick(server, link, clickId);
		expect(stored).toMatchObject({ attributed: 1, deliveries: 1 });
		expect(await conversionsOf(server, link.campaignId)).toEqual([
			{
				campaign_id: link.campaignId,
				recipient: link.recipient,
				code: link.code,
				url: link.url,
				variant: link.variant,
				click_id: clickId,
				conversion_name: 'purchase',
				value: 19.9,
				conversion_currency: 'EUR',
				idempotency_key: 'order-1',
			},
		]);
		expect(await pendingFor(server, clickId)).toBe(0);
		const [delivery] = await hook.waitFor(1);
		expect(JSON.parse(delivery.body)).toMatchObject({ type: 'conversion' });

		// Stats count it like any conversion.
		const stats = await server.api('GET', `/api/v1/campaigns/${link.campaignId}/stats`);
		expect(stats.body.totals).toMatchObject({ clicks: 1, conversions: 1 });
	});

	test('when the same conversion is reported again while pending, then it is a duplicate and the click gets it once', async () => {
		const link = await campaignWithLink(server);
		const clickId = newClickId();
		expect((await beacon(server, { clickId, name: 'signup' })).status).toBe(202);
		const again = await beacon(server, { clickId, name: 'signup' });
		expect([again.status, await again.json()]).toEqual([200, { stored: false, duplicate: true }]);
		await landClick(server, link, clickId);
		expect(await conversionsOf(server, link.campaignId)).toHaveLength(1);
		// Reported once more after the click landed: recognised as the stored one.
		const late = await beacon(server, { clickId, name: 'signup' });
		expect([late.status, await late.json()]).toEqual([200, { stored: false, duplicate: true }]);
	});

	test('when the pixel reports for a click not stored yet, then it answers the GIF at once and the conversion is stored with the click', async () => {
		const link = await campaignWithLink(server);
		const clickId = newClickId();
		const res = await fetch(`${server.url}/c.gif?sms_cid=${clickId}&name=signup`);
		expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/gif']);
		expect(await pendingFor(server, clickId)).toBe(1);
		await landClick(server, link, clickId);
		expect(await conversionsOf(server, link.campaignId)).toMatchObject([
			{ click_id: clickId, conversion_name: 'signup' },
		]);
	});

	test('when more conversions are reported for a pending click than CONVERSIONS_PER_CLICK, then only the limit is kept and stored', async () => {
		const link = await campaignWithLink(server);
		const clickId = newClickId();
		const answers = [];
		for (const key of ['a', 'b', 'c', 'd']) {
			const res = await beacon(server, {
				clickId,
				name: 'purchase',
				value: 5,
				idempotencyKey: key,
			});
			answers.push([res.status, await res.json()]);
		}
		expect(answers).toEqual([
			[202, { stored: false, pending: true, duplicate: false }],
			[202, { stored: false, pending: true, duplicate: false }],
			[202, { stored: false, duplicate: false }],
			[202, { stored: false, duplicate: false }],
		]);
		await landClick(server, link, clickId);
		expect((await conversionsOf(server, link.campaignId)).map((c) => c.idempotency_key)).toEqual([
			'a',
			'b',
		]);
	});

	test('when a pending report is over CONVERSION_VALUE_MAX, then it is refused and never kept', async () => {
		const link = await campaignWithLink(server);
		const clickId = newClickId();
		const res = await beacon(server, { clickId, name: 'purchase', value: 5000 });
		expect([res.status, await res.json()]).toEqual([202, { stored: false, duplicate: false }]);
		expect(await pendingFor(server, clickId)).toBe(0);
		await landClick(server, link, clickId);
		expect(await conversionsOf(server, link.campaignId)).toEqual([]);
	});

	test('when a click is stored while its conversion is being kept and misses it, then the background pass stores it', async () => {
		const link = await campaignWithLink(server);
		const clickId = newClickId();
		await landClick(server, link, clickId);
		// As the race leaves it: a pending row whose click is already stored.
		await server.sql(
			`INSERT INTO pending_conversions (event_key, click_id, name, expires_at) VALUES ($1, $2, 'signup', now() + interval '1 hour')`,
			[`cv_c_race_${clickId}`, clickId],
		);
		const rows = await waitFor(() => conversionsOf(server, link.campaignId), {
			what: 'the missed pending conversion to be stored by the sweeper',
			until: (r) => r.length === 1,
		});
		expect(rows[0]).toMatchObject({
			click_id: clickId,
			conversion_name: 'signup',
			recipient: link.recipient,
		});
		expect(await pendingFor(server, clickId)).toBe(0);
	});
});

describe('bounds of the pending table', () => {
	test('when a pending conversion expires before its click lands, then it is not stored and its row goes', async () => {
		const server = await start({ PENDING_CONVERSION_TTL_SECONDS: '1' });
		const link = await campaignWithLink(server);
		const clickId = newClickId();
		expect((await beacon(server, { clickId, name: 'signup' })).status).toBe(202);
		await waitFor(
			() =>
				server.sql(`SELECT 1 FROM pending_conversions WHERE click_id = $1 AND expires_at > now()`, [
					clickId,
				]),
			{ what: 'the pending conversion to expire', until: (r) => r.length === 0 },
		);
		await landClick(server, link, clickId);
		expect(await conversionsOf(server, link.campaignId)).toEqual([]);
		expect(await pendingFor(server, clickId)).toBe(0);
	});

	test('when the pending table is full, then a new report is refused with 503 and Retry-After, and accepted again once a click took its conversions', async () => {
		const server = await start({ PENDING_CONVERSIONS_MAX: '2' });
		const link = await campaignWithLink(server);
		const [first, second, third] = [newClickId(), newClickId(), newClickId()];
		expect((await beacon(server, { clickId: first, name: 'signup' })).status).toBe(202);
		expect((await beacon(server, { clickId: second, name: 'signup' })).status).toBe(202);

		const full = await beacon(server, { clickId: third, name: 'signup' });
		expect(full.status).toBe(503);
		expect(full.headers.get('retry-after')).toBe('60');
		expect((await full.json()).error.code).toBe('pending_conversions_full');
		expect(await pendingFor(server, third)).toBe(0);
		// The pixel answers the same GIF, and keeps nothing either.
		const gif = await fetch(`${server.url}/c.gif?sms_cid=${third}&name=signup`);
		expect([gif.status, gif.headers.get('content-type')]).toEqual([200, 'image/gif']);
		expect(await pendingFor(server, third)).toBe(0);

		await landClick(server, link, first);
		const again = await beacon(server, { clickId: third, name: 'signup' });
		expect(again.status).toBe(202);
		expect(await pendingFor(server, third)).toBe(1);
	});
});
