import { Webhook } from 'standardwebhooks';
import { waitFor } from '../../support/wait';
import { campaignWithLink, storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';
import { chromeOnAndroid, hit } from '../../support/short-links';

// Small, configurable backoff keeps these fast: 3 attempts, 100 ms apart, 400 ms timeout.
const env = {
	PUBLIC_BASE_URL: 'https://go.shop.example',
	WEBHOOK_RETRY_SCHEDULE: '100ms,100ms',
	WEBHOOK_TIMEOUT_MS: '400',
	WEBHOOK_POLL_MS: '50',
};

let server: TestServer;
const receivers: Receiver[] = [];
beforeAll(async () => {
	server = await startTestServer(env);
});
afterAll(async () => {
	await Promise.all(receivers.map((r) => r.close()));
	await server.close();
});

async function receiver(...args: Parameters<typeof startReceiver>) {
	const r = await startReceiver(...args);
	receivers.push(r);
	return r;
}

async function subscribe(
	url: string,
	events = ['click', 'view', 'conversion', 'delivered', 'failed'],
	campaignId?: string,
) {
	const res = await server.api('POST', '/api/v1/webhooks', { url, events, campaignId });
	expect(res.status).toBe(201);
	return res.body as { id: string; secret: string };
}

async function deliveries(subscriptionId: string) {
	return (await server.api('GET', `/api/v1/webhooks/${subscriptionId}/deliveries`)).body
		.deliveries as any[];
}

test('when a reminder link is clicked, then the payload names the reminder wave', async () => {
	const hook = await receiver();
	const { campaignId } = await campaignWithLink(server);
	const sub = await subscribe(hook.url, ['click'], campaignId);
	const reminder = await server.api('POST', `/api/v1/campaigns/${campaignId}/links`, {
		wave: 'Reminder',
		recipients: [{ recipient: '+4915112345678', urls: ['https://shop.example/sale'] }],
	});
	await hit(`${server.url}/${reminder.body.links[0].code}`, { userAgent: chromeOnAndroid });
	const [request] = await hook.waitFor(1);
	const payload = new Webhook(sub.secret).verify(
		request.body,
		request.headers as Record<string, string>,
	) as any;
	expect(payload).toMatchObject({
		type: 'click',
		code: reminder.body.links[0].code,
		wave: 'Reminder',
	});
});

/** Waits until the subscription's newest delivery is marked failed, and returns it. */
async function failedDelivery(subscriptionId: string) {
	const [failed] = await waitFor(() => deliveries(subscriptionId), {
		until: (d) => d[0]?.status === 'failed',
		what: 'the delivery to be marked failed',
	});
	return failed;
}

/** One stored click for a new subscription whose receiver always answers `status`. */
async function clickForReceiverAnswering(status: number) {
	const hook = await receiver(() => ({ status }));
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await subscribe(hook.url, ['click'], campaignId);
	await storeEvents(server, [{ type: 'click', campaignId, code: link.code }]);
	return { hook, sub };
}

test('when a click is stored, then the receiver gets it signed per Standard Webhooks with the event payload', async () => {
	const hook = await receiver();
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await subscribe(hook.url, ['click'], campaignId);
	const occurredAt = new Date('2026-11-20T10:11:12.000Z');
	await storeEvents(server, [
		{
			type: 'click',
			campaignId,
			code: link.code,
			recipient: link.recipient,
			variant: link.variant,
			url: link.url,
			clickId: 'Ck0123456789abcdefghij',
			deviceType: 'mobile',
			os: 'iOS',
			browser: 'Mobile Safari',
			country: 'DE',
			occurredAt,
		},
	]);
	const [request] = await hook.waitFor(1);

	// An independent implementation of the scheme (the standardwebhooks package) accepts it.
	const verified = new Webhook(sub.secret).verify(
		request.body,
		request.headers as Record<string, string>,
	) as any;
	expect(request.headers['content-type']).toBe('application/json');
	expect(verified).toEqual({
		id: expect.stringMatching(/^\d+$/),
		type: 'click',
		occurredAt: occurredAt.toISOString(),
		campaignId,
		campaign: { id: campaignId, name: 'webhooks' },
		recipient: '+4915112345678',
		recipientMetadata: null,
		url: 'https://shop.example/sale',
		shortUrl: `https://go.shop.example/${link.code}`,
		code: link.code,
		variant: link.variant,
		wave: 'Initial', // the wave of the event's link
		clickId: 'Ck0123456789abcdefghij',
		device: { type: 'mobile', os: 'iOS', browser: 'Mobile Safari' },
		country: 'DE',
	});
	// Signed with another secret, the same request is rejected by that implementation.
	expect(() =>
		new Webhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).verify(
			request.body,
			request.headers as Record<string, string>,
		),
	).toThrow();

	const [delivery] = await waitFor(() => deliveries(sub.id), {
		until: (d) => d[0]?.status === 'delivered',
		what: 'the delivery to be delivered',
	});
	expect(request.headers['webhook-id']).toBe(delivery.id);
	expect(delivery).toMatchObject({
		eventType: 'click',
		attempts: 1,
		lastStatus: 200,
		lastError: null,
		nextAttemptAt: null,
	});
	expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(
		30,
	);
});

test('when a conversion is stored, then the payload carries the conversion and fields from the link', async () => {
	const hook = await receiver();
	const { campaignId, link } = await campaignWithLink(
		server,
		'+4915199999999',
		'https://shop.example/buy',
	);
	const sub = await subscribe(hook.url, ['conversion'], campaignId);
	await storeEvents(server, [
		{
			type: 'conversion',
			campaignId,
			code: link.code,
			conversionName: 'purchase',
			conversionValue: 19.9,
			conversionCurrency: 'EUR',
		},
	]);
	const [request] = await hook.waitFor(1);
	const body = new Webhook(sub.secret).verify(
		request.body,
		request.headers as Record<string, string>,
	) as any;
	expect(body).toMatchObject({
		type: 'conversion',
		recipient: '+4915199999999',
		url: 'https://shop.example/buy',
		variant: link.variant,
		conversion: { name: 'purchase', value: 19.9, currency: 'EUR' },
	});
});

test('when events of other types or campaigns are stored, then a subscription receives only its own', async () => {
	const hook = await receiver();
	const mine = await campaignWithLink(server);
	const other = await campaignWithLink(server);
	const sub = await subscribe(hook.url, ['click', 'view'], mine.campaignId);
	await storeEvents(server, [
		{ type: 'bot', campaignId: mine.campaignId, code: mine.link.code },
		{ type: 'conversion', campaignId: mine.campaignId, code: mine.link.code },
		{ type: 'click', campaignId: other.campaignId, code: other.link.code },
		{ type: 'view', campaignId: mine.campaignId, code: mine.link.code },
	]);
	await hook.waitFor(1);
	// Deliveries are written with their events, so this list is complete; once it is settled and
	// the dispatcher holds nothing, no further request can reach the receiver.
	const settled = await waitFor(() => deliveries(sub.id), {
		until: (d) => d.every((x) => x.status === 'delivered'),
		what: 'every delivery to be delivered',
	});
	expect(settled).toHaveLength(1);
	await server.webhookDispatcher!.whenIdle();
	expect(hook.received.map((r) => JSON.parse(r.body).type)).toEqual(['view']);
});

test('when the receiver answers 500 and then 200, then the same webhook-id is sent again and the delivery is delivered', async () => {
	const hook = await receiver((n) => ({ status: n === 0 ? 500 : 200 }));
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await subscribe(hook.url, ['click'], campaignId);
	await storeEvents(server, [{ type: 'click', campaignId, code: link.code }]);
	const [first, second] = await hook.waitFor(2);
	expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
	expect(second.at - first.at).toBeGreaterThanOrEqual(70); // 100 ms ± 20 % jitter
	new Webhook(sub.secret).verify(second.body, second.headers as Record<string, string>);
	const [delivery] = await waitFor(() => deliveries(sub.id), {
		until: (d) => d[0]?.status === 'delivered',
		what: 'the delivery to be delivered',
	});
	expect(delivery).toMatchObject({ attempts: 2, lastStatus: 200 });
});

test('when the receiver keeps failing, then the delivery is marked failed after the last attempt and stays listed', async () => {
	const { hook, sub } = await clickForReceiverAnswering(503);
	const delivery = await failedDelivery(sub.id);
	expect(delivery).toMatchObject({ attempts: 3, lastStatus: 503, nextAttemptAt: null });
	expect(delivery.lastError).toMatch(/HTTP 503.*gave up after 3 attempts/);
	await server.webhookDispatcher!.whenIdle(); // failed is final: nothing more is claimed for it
	expect(hook.received).toHaveLength(3);
	expect(
		(await server.api('GET', `/api/v1/webhooks/${sub.id}/deliveries?status=failed`)).body
			.deliveries,
	).toHaveLength(1);
	expect(
		(await server.api('GET', `/api/v1/webhooks/${sub.id}/deliveries?status=delivered`)).body
			.deliveries,
	).toHaveLength(0);
});

test('when a failed delivery is retried by hand, then it is sent once more and delivered', async () => {
	const { hook, sub } = await clickForReceiverAnswering(500);
	const failed = await failedDelivery(sub.id);
	hook.behave(() => ({ status: 204 }));
	const retry = await server.api(
		'POST',
		`/api/v1/webhooks/${sub.id}/deliveries/${failed.id}/retry`,
	);
	expect(retry.status).toBe(202);
	expect(retry.body).toMatchObject({ id: failed.id, status: 'pending' });
	const [delivered] = await waitFor(() => deliveries(sub.id), {
		until: (d) => d[0]?.status === 'delivered',
		what: 'the delivery to be delivered',
	});
	expect(delivered).toMatchObject({ attempts: 4, lastStatus: 204 });
	expect(hook.received[hook.received.length - 1].headers['webhook-id']).toBe(failed.id);
	expect(
		(await server.api('POST', `/api/v1/webhooks/${sub.id}/deliveries/msg_unknown/retry`)).status,
	).toBe(404);
});

test('when the receiver is down, then attempts fail with a connection error and it is delivered once it is back', async () => {
	const probe = await startReceiver();
	const port = probe.port;
	await probe.close(); // nothing listens on this port now
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await subscribe(`http://127.0.0.1:${port}/hook`, ['click'], campaignId);
	await storeEvents(server, [{ type: 'click', campaignId, code: link.code }]);
	const [pending] = await waitFor(() => deliveries(sub.id), {
		until: (d) => d[0]?.attempts >= 1 && d[0]?.lastError !== null,
		what: 'a failed first attempt to be recorded',
	});
	expect(pending.lastError).toBe('connect_error: the connection failed');
	expect(pending.lastStatus).toBeNull();
	const failed = await failedDelivery(sub.id);
	expect(failed.attempts).toBe(3);

	const back = await receiver(() => ({ status: 200 }), port);
	await server.api('POST', `/api/v1/webhooks/${sub.id}/deliveries/${failed.id}/retry`);
	await back.waitFor(1);
	await waitFor(() => deliveries(sub.id), {
		until: (d) => d[0]?.status === 'delivered',
		what: 'the delivery to be delivered',
	});
});

test('when the receiver hangs, then the attempt times out and is retried', async () => {
	const hook = await receiver((n) => (n === 0 ? 'hang' : { status: 200 }));
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await subscribe(hook.url, ['click'], campaignId);
	await storeEvents(server, [{ type: 'click', campaignId, code: link.code }]);
	const [first, second] = await hook.waitFor(2);
	expect(second.at - first.at).toBeGreaterThanOrEqual(400); // the timeout, then the backoff
	const [delivery] = await waitFor(() => deliveries(sub.id), {
		until: (d) => d[0]?.status === 'delivered',
		what: 'the delivery to be delivered',
	});
	expect(delivery.attempts).toBe(2);
});

test('when the receiver answers 429 with Retry-After, then the next attempt waits that long instead of the backoff', async () => {
	const hook = await receiver((n) =>
		n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
	);
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await subscribe(hook.url, ['click'], campaignId);
	await storeEvents(server, [{ type: 'click', campaignId, code: link.code }]);
	const [pending] = await waitFor(() => deliveries(sub.id), {
		until: (d) => d[0]?.lastStatus === 429,
		what: 'the 429 answer to be recorded',
	});
	expect(pending.status).toBe('pending');
	const [first, second] = await hook.waitFor(2);
	expect(second.at - first.at).toBeGreaterThanOrEqual(950);
	await waitFor(() => deliveries(sub.id), {
		until: (d) => d[0]?.status === 'delivered',
		what: 'the delivery to be delivered',
	});
});

test('when the receiver answers 410 Gone, then the subscription is disabled and nothing more is sent to it', async () => {
	const hook = await receiver(() => ({ status: 410 }));
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await subscribe(hook.url, ['click', 'view'], campaignId);
	await storeEvents(server, [{ type: 'click', campaignId, code: link.code }]);
	await hook.waitFor(1);
	const disabled = await waitFor(() => server.api('GET', `/api/v1/webhooks/${sub.id}`), {
		until: (r) => r.body.active === false,
		what: 'the subscription to be disabled',
	});
	expect(disabled.body.disabledReason).toMatch(/410/);
	const delivery = await failedDelivery(sub.id);
	expect(delivery).toMatchObject({ attempts: 1, lastStatus: 410 });

	await storeEvents(server, [{ type: 'view', campaignId, code: link.code }]);
	// A disabled subscription gets no delivery with new events: nothing is left to send to it.
	expect(await deliveries(sub.id)).toHaveLength(1);
	await server.webhookDispatcher!.whenIdle();
	expect(hook.received).toHaveLength(1);
	const retry = await server.api(
		'POST',
		`/api/v1/webhooks/${sub.id}/deliveries/${delivery.id}/retry`,
	);
	expect(retry.status).toBe(409);
	expect(retry.body.error.code).toBe('webhook_disabled');
});

test('when many deliveries are listed, then they page newest first with a cursor', async () => {
	const hook = await receiver();
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await subscribe(hook.url, ['view'], campaignId);
	for (let i = 0; i < 5; i++)
		await storeEvents(server, [{ type: 'view', campaignId, code: link.code }]);
	await hook.waitFor(5);
	const first = (await server.api('GET', `/api/v1/webhooks/${sub.id}/deliveries?limit=3`)).body;
	expect(first.deliveries).toHaveLength(3);
	const second = (
		await server.api(
			'GET',
			`/api/v1/webhooks/${sub.id}/deliveries?limit=3&cursor=${first.nextCursor}`,
		)
	).body;
	expect(second.deliveries).toHaveLength(2);
	expect(second.nextCursor).toBeNull();
	const ids = [...first.deliveries, ...second.deliveries].map((d: any) => d.id);
	expect(new Set(ids).size).toBe(5);
	const eventIds = [...first.deliveries, ...second.deliveries].map((d: any) => Number(d.eventId));
	expect(eventIds).toEqual([...eventIds].sort((a, b) => b - a));
	expect((await server.api('GET', `/api/v1/webhooks/${sub.id}/deliveries?limit=0`)).status).toBe(
		400,
	);
	expect(
		(await server.api('GET', `/api/v1/webhooks/${sub.id}/deliveries?status=lost`)).status,
	).toBe(400);
});
