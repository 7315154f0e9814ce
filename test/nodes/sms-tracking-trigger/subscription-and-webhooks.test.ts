import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { SmsTrackingTrigger } from '../../../nodes/SmsTrackingTrigger/SmsTrackingTrigger.node';
import { forgetScope } from '../../../nodes/SmsTrackingTrigger/recentIds';
import { campaignWithLink, storeEvents } from '../../support/events';
import { startN8nHost, type N8nHost } from '../../support/n8n-host';
import { request, startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

let server: TestServer;
const hosts: N8nHost[] = [];
beforeAll(async () => {
	server = await startTestServer({ PUBLIC_BASE_URL: 'https://go.shop.example', WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_SCHEDULE: '100ms' });
});
afterAll(async () => {
	for (const host of hosts) await host.close();
	await server.close();
});

async function host(parameters: Record<string, unknown> = { events: ['click'], campaignId: '' }) {
	const h = await startN8nHost(new SmsTrackingTrigger(), { serverUrl: server.url, apiKey: server.apiKey, parameters });
	hosts.push(h);
	return h;
}

async function subscriptionsFor(url: string) {
	return (await server.api('GET', `/api/v1/webhooks?url=${encodeURIComponent(url)}`)).body.webhooks as any[];
}

describe('life cycle against the tracking server', () => {
	test('when the workflow is activated and deactivated, then the subscription is created with id and secret in static data and removed again', async () => {
		const { campaignId } = await campaignWithLink(server);
		const n8n = await host({ events: ['view', 'click'], campaignId });
		expect(await n8n.checkExists()).toBe(false);
		expect(await n8n.create()).toBe(true);

		const { subscriptionId, secret } = n8n.staticData() as { subscriptionId: string; secret: string };
		expect(subscriptionId).toMatch(/^whk_/);
		expect(secret).toMatch(/^whsec_/);
		const [remote] = await subscriptionsFor(n8n.webhookUrl);
		expect(remote).toMatchObject({ id: subscriptionId, url: n8n.webhookUrl, events: ['click', 'view'], campaignId, active: true });
		expect(await n8n.checkExists()).toBe(true);

		expect(await n8n.remove()).toBe(true);
		expect((await server.api('GET', `/api/v1/webhooks/${subscriptionId}`)).status).toBe(404);
		expect(n8n.staticData()).toEqual({});
		expect(await n8n.checkExists()).toBe(false);
		expect(await n8n.remove()).toBe(true); // nothing left to remove is fine
	});

	test('when the events are changed, then checkExists says no and create replaces the old subscription', async () => {
		const n8n = await host({ events: ['click'], campaignId: '' });
		await n8n.create();
		const first = (n8n.staticData() as { subscriptionId: string }).subscriptionId;
		n8n.node.parameters.events = ['click', 'conversion'];
		expect(await n8n.checkExists()).toBe(false);
		await n8n.create();
		const subs = await subscriptionsFor(n8n.webhookUrl);
		expect(subs).toHaveLength(1);
		expect(subs[0].id).not.toBe(first);
		expect(subs[0].events).toEqual(['click', 'conversion']);
	});

	test('when the subscription was deleted on the server, then checkExists says no and create subscribes again', async () => {
		const n8n = await host();
		await n8n.create();
		const { subscriptionId } = n8n.staticData() as { subscriptionId: string };
		await server.api('DELETE', `/api/v1/webhooks/${subscriptionId}`);
		expect(await n8n.checkExists()).toBe(false);
		await n8n.create();
		expect(await subscriptionsFor(n8n.webhookUrl)).toHaveLength(1);
	});

	test('when the server disabled the subscription (the URL answered 410), then checkExists says no and create subscribes anew', async () => {
		const n8n = await host();
		await n8n.create();
		const { subscriptionId } = n8n.staticData() as { subscriptionId: string };
		await server.sql(`UPDATE webhook_subscriptions SET disabled_at = now(), disabled_reason = '410' WHERE id = $1`, [subscriptionId]);
		expect(await n8n.checkExists()).toBe(false);
		await n8n.create();
		const subs = await subscriptionsFor(n8n.webhookUrl);
		expect(subs).toEqual([expect.objectContaining({ active: true })]);
		expect(subs[0].id).not.toBe(subscriptionId);
	});

	test('when the static data was lost, then create removes the leftover subscription of the same URL', async () => {
		const n8n = await host();
		await n8n.create();
		const stale = (n8n.staticData() as { subscriptionId: string }).subscriptionId;
		const data = n8n.staticData();
		delete data.subscriptionId;
		delete data.secret;
		expect(await n8n.checkExists()).toBe(false);
		await n8n.create();
		const subs = await subscriptionsFor(n8n.webhookUrl);
		expect(subs.map((s) => s.id)).toEqual([(n8n.staticData() as { subscriptionId: string }).subscriptionId]);
		expect(subs[0].id).not.toBe(stale);
	});

	test('when the campaign does not exist, then activation fails with the server message', async () => {
		const n8n = await host({ events: ['click'], campaignId: 'cmp_missing' });
		await expect(n8n.create()).rejects.toThrow('Campaign cmp_missing does not exist');
		expect(n8n.staticData().subscriptionId).toBeUndefined();
	});
});

describe('receiving webhooks', () => {
	test('when a recipient clicks, then the dispatcher delivers it and the trigger emits the event as one item', async () => {
		const { campaignId, link } = await campaignWithLink(server);
		const n8n = await host({ events: ['click'], campaignId });
		await n8n.create();
		await storeEvents(server, [{ type: 'click', campaignId, code: link.code, recipient: link.recipient, url: link.url, variant: link.variant, clickId: 'ClickTrigger0123456789', deviceType: 'mobile', os: 'Android', browser: 'Chrome', country: 'AT' }]);
		await waitFor(() => n8n.calls.length, { what: 'the trigger to emit the click' });
		expect(n8n.calls).toHaveLength(1);
		const items = n8n.calls[0].workflowData![0];
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			type: 'click',
			campaignId,
			recipient: link.recipient,
			url: link.url,
			shortUrl: `https://go.shop.example/${link.code}`,
			code: link.code,
			clickId: 'ClickTrigger0123456789',
			device: { type: 'mobile', os: 'Android', browser: 'Chrome' },
			country: 'AT',
		});
		const { subscriptionId } = n8n.staticData() as { subscriptionId: string };
		// The trigger's 200 reaches the dispatcher, which records the delivery as delivered.
		const deliveries = await waitFor(
			async () => (await server.api('GET', `/api/v1/webhooks/${subscriptionId}/deliveries`)).body.deliveries as any[],
			{ what: 'the delivery to leave pending', until: (d) => d[0] !== undefined && d[0].status !== 'pending' },
		);
		expect(deliveries[0]).toMatchObject({ status: 'delivered', lastStatus: 200, attempts: 1 });
		expect(n8n.calls).toHaveLength(1); // delivered at the first attempt: emitted once, never again
	});

	test('when a recipient opens the short link, then the click from the redirect reaches the workflow with its device data', async () => {
		const { campaignId, link } = await campaignWithLink(server, '+4915155555555', 'https://shop.example/landing');
		const n8n = await host({ events: ['click'], campaignId });
		await n8n.create();
		const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
		const hit = await request(`${server.url}/${link.code}`, 'GET', undefined, { 'user-agent': iphone });
		expect(hit.status).toBe(302);
		await waitFor(() => n8n.calls.length, { what: 'the trigger to emit the click' });
		const [item] = n8n.calls[0].workflowData![0];
		expect(item.json).toMatchObject({
			type: 'click',
			campaignId,
			recipient: '+4915155555555',
			url: 'https://shop.example/landing',
			shortUrl: `https://go.shop.example/${link.code}`,
			code: link.code,
			variant: link.variant,
			device: { type: 'mobile', os: 'iOS' },
		});
		expect(item.json.clickId).toMatch(/^[A-Za-z0-9]{20,}$/);
	});

	describe('signature checks', () => {
		let n8n: N8nHost;
		let secret: string;
		beforeAll(async () => {
			n8n = await host();
			await n8n.create();
			secret = (n8n.staticData() as { secret: string }).secret;
		});

		// Signed by the standardwebhooks package: an implementation independent of the node's.
		function signed(body: string, opts: { secret?: string; id?: string; at?: Date } = {}) {
			const id = opts.id ?? `msg_${randomBytes(8).toString('hex')}`;
			const at = opts.at ?? new Date();
			return {
				'content-type': 'application/json',
				'webhook-id': id,
				'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
				'webhook-signature': new Webhook(opts.secret ?? secret).sign(id, at, body),
			};
		}
		const post = (headers: Record<string, string>, body: string) => request(n8n.webhookUrl, 'POST', body, headers);
		const payload = JSON.stringify({ id: '1', type: 'click', campaignId: 'cmp_x', recipient: '+4915112345678' });

		test('when the signature is valid, then 200 and the payload is emitted', async () => {
			const before = n8n.calls.length;
			const res = await post(signed(payload), payload);
			expect(res.status).toBe(200);
			expect(n8n.calls[before].workflowData![0][0].json).toEqual(JSON.parse(payload));
		});

		test.each([
			['the body was tampered with', () => ({ headers: signed(payload), body: payload.replace('+4915112345678', '+4915100000000') })],
			['the secret is another one', () => ({ headers: signed(payload, { secret: 'whsec_' + randomBytes(32).toString('base64') }), body: payload })],
			['the timestamp is six minutes old', () => ({ headers: signed(payload, { at: new Date(Date.now() - 6 * 60_000) }), body: payload })],
			['the timestamp is six minutes ahead', () => ({ headers: signed(payload, { at: new Date(Date.now() + 6 * 60_000) }), body: payload })],
			['the webhook-id was changed after signing', () => ({ headers: { ...signed(payload), 'webhook-id': 'msg_other' }, body: payload })],
			['there is no signature', () => {
				const { ['webhook-signature']: _, ...headers } = signed(payload);
				return { headers, body: payload };
			}],
			['the signature is of another scheme only', () => ({ headers: { ...signed(payload), 'webhook-signature': signed(payload)['webhook-signature'].replace('v1,', 'v1a,') }, body: payload })],
		])('when %s, then 401 and nothing is emitted', async (_case, make) => {
			const { headers, body } = make();
			const before = n8n.calls.length;
			const res = await post(headers as Record<string, string>, body);
			expect(res.status).toBe(401);
			expect(res.body.error.code).toBe('invalid_signature');
			expect(n8n.calls.slice(before).every((c) => c.workflowData === undefined)).toBe(true);
		});

		test('when the timestamp is four minutes old, then it is still accepted', async () => {
			const res = await post(signed(payload, { at: new Date(Date.now() - 4 * 60_000) }), payload);
			expect(res.status).toBe(200);
		});

		test('when the header carries an old and a new signature (secret rotation), then a matching one is enough', async () => {
			const old = signed(payload, { secret: 'whsec_' + randomBytes(32).toString('base64') });
			const current = signed(payload, { id: old['webhook-id'], at: new Date(Number(old['webhook-timestamp']) * 1000) });
			const both = { ...current, 'webhook-signature': `${old['webhook-signature']} v1a,bm90IGEgc2lnbmF0dXJl ${current['webhook-signature']}` };
			const before = n8n.calls.length;
			expect((await post(both, payload)).status).toBe(200);
			expect(n8n.calls[before].workflowData).toBeDefined();
		});

		test('when the same webhook-id arrives twice, then the second is acknowledged but not emitted', async () => {
			const headers = signed(payload);
			const before = n8n.calls.length;
			expect((await post(headers, payload)).status).toBe(200);
			// A retry: same id, new timestamp, new signature.
			const retry = signed(payload, { id: headers['webhook-id'], at: new Date(Date.now() + 1000) });
			const second = await post(retry, payload);
			expect(second.status).toBe(200);
			expect(second.body).toEqual({ received: true, duplicate: true });
			expect(n8n.calls.slice(before).filter((c) => c.workflowData)).toHaveLength(1);
		});
	});
});

describe('redeliveries after an n8n restart', () => {
	// Signed by the standardwebhooks package, as above.
	const payload = JSON.stringify({ id: '2', type: 'click', campaignId: 'cmp_x', recipient: '+4915112345678' });
	function signed(secret: string, id: string) {
		const at = new Date();
		return {
			'content-type': 'application/json',
			'webhook-id': id,
			'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
			'webhook-signature': new Webhook(secret).sign(id, at, payload),
		};
	}
	const emitted = (n8n: N8nHost, from: number) => n8n.calls.slice(from).filter((c) => c.workflowData).length;

	test('when a delivery arrives again after the process forgot its ids, then the server remembers it and it is not emitted', async () => {
		const n8n = await host();
		await n8n.create();
		const { subscriptionId, secret } = n8n.staticData() as { subscriptionId: string; secret: string };
		const id = `msg_${randomBytes(8).toString('hex')}`;
		const before = n8n.calls.length;
		expect((await request(n8n.webhookUrl, 'POST', payload, signed(secret, id))).status).toBe(200);

		forgetScope(subscriptionId); // what a restart of n8n does to the in-memory ids
		const again = await request(n8n.webhookUrl, 'POST', payload, signed(secret, id));
		expect([again.status, again.body]).toEqual([200, { received: true, duplicate: true }]);
		expect(emitted(n8n, before)).toBe(1);
		expect(
			await server.sql('SELECT delivery_id FROM webhook_receipts WHERE subscription_id = $1', [subscriptionId]),
		).toEqual([{ delivery_id: id }]);
	});

	test('when the server cannot record receipts, then the in-memory ids still drop a redelivery', async () => {
		const key = (await server.api('POST', '/api/v1/keys', { name: 'trigger', scopes: ['webhooks'] })).body;
		const n8n = await startN8nHost(new SmsTrackingTrigger(), {
			serverUrl: server.url,
			apiKey: key.key,
			parameters: { events: ['click'], campaignId: '' },
		});
		hosts.push(n8n);
		await n8n.create();
		const { secret } = n8n.staticData() as { secret: string };
		await server.api('DELETE', `/api/v1/keys/${key.id}`); // every receipt now answers 401
		const id = `msg_${randomBytes(8).toString('hex')}`;
		const before = n8n.calls.length;
		expect((await request(n8n.webhookUrl, 'POST', payload, signed(secret, id))).status).toBe(200);
		const again = await request(n8n.webhookUrl, 'POST', payload, signed(secret, id));
		expect(again.body).toEqual({ received: true, duplicate: true });
		expect(emitted(n8n, before)).toBe(1);
	});
});
