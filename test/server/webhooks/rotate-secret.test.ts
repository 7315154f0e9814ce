import { Webhook } from 'standardwebhooks';
import { closeAfterAll } from '../../support/close-after-all';
import { campaignWithLink, storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { startReceiver, type Received } from '../../support/webhook-receiver';

const track = closeAfterAll();
let server: TestServer;
beforeAll(async () => {
	server = await track(
		startTestServer({
			WEBHOOK_POLL_MS: '50',
			WEBHOOK_SECRET_OVERLAP_HOURS: '24',
			WEBHOOK_SECRET_OVERLAP_MAX_HOURS: '48',
		}),
	);
});

/** Whether a delivery verifies with `secret`, by the Standard Webhooks reference library. */
function verifies(secret: string, delivery: Received): boolean {
	try {
		new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
		return true;
	} catch {
		return false;
	}
}

async function subscription() {
	const hook = await track(startReceiver(() => ({ status: 204 })));
	const { campaignId, link } = await campaignWithLink(server);
	const sub = await server.api('POST', '/api/v1/webhooks', {
		url: hook.url,
		events: ['click'],
		campaignId,
	});
	expect(sub.status).toBe(201);
	const click = async () => {
		const before = hook.received.length;
		await storeEvents(server, [{ type: 'click', campaignId, code: link.code }]);
		return (await hook.waitFor(before + 1))[before];
	};
	return { id: sub.body.id as string, secret: sub.body.secret as string, click };
}

test('when a secret is rotated, then during the overlap each delivery verifies with the old and the new secret, and the new secret is shown only then', async () => {
	const sub = await subscription();
	const rotated = await server.api('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`);
	expect(rotated.status).toBe(200);
	expect(rotated.body).toEqual({
		id: sub.id,
		secret: expect.stringMatching(/^whsec_/),
		previousSecretExpiresAt: expect.any(String),
	});
	expect(rotated.body.secret).not.toBe(sub.secret);
	const overlapHours = (Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()) / 3_600_000;
	expect(overlapHours).toBeGreaterThan(23.9);
	expect(overlapHours).toBeLessThanOrEqual(24);

	const delivery = await sub.click();
	expect(String(delivery.headers['webhook-signature']).split(' ')).toHaveLength(2);
	expect(verifies(rotated.body.secret, delivery)).toBe(true);
	expect(verifies(sub.secret, delivery)).toBe(true);
	expect(verifies('whsec_' + Buffer.alloc(32, 7).toString('base64'), delivery)).toBe(false);
	expect(
		JSON.stringify((await server.api('GET', `/api/v1/webhooks/${sub.id}`)).body),
	).not.toContain(rotated.body.secret);
});

test('when a secret is rotated without overlap, then the old secret stops signing at once', async () => {
	const sub = await subscription();
	const rotated = await server.api('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`, {
		overlapSeconds: 0,
	});
	expect(rotated.body.previousSecretExpiresAt).toBeNull();
	const delivery = await sub.click();
	expect(verifies(rotated.body.secret, delivery)).toBe(true);
	expect(verifies(sub.secret, delivery)).toBe(false);
});

test('when a secret is rotated twice within the overlap, then the first secret no longer signs and the two later ones do', async () => {
	const sub = await subscription();
	const second = (
		await server.api('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`, { overlapSeconds: 600 })
	).body.secret;
	const third = (
		await server.api('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`, { overlapSeconds: 600 })
	).body.secret;
	const delivery = await sub.click();
	expect([
		verifies(sub.secret, delivery),
		verifies(second, delivery),
		verifies(third, delivery),
	]).toEqual([false, true, true]);
});

test.each([
	['a negative overlap', { overlapSeconds: -1 }],
	['an overlap beyond the maximum', { overlapSeconds: 48 * 3600 + 1 }],
	['a fractional overlap', { overlapSeconds: 1.5 }],
	['an overlap as text', { overlapSeconds: '60' }],
	['an unknown field', { secret: 'whsec_mine' }],
])('when a rotation asks for %s, then 400 and the secret is unchanged', async (_name, body) => {
	const sub = await subscription();
	const read = () =>
		server.sql('SELECT secret, previous_secret FROM webhook_subscriptions WHERE id = $1', [sub.id]);
	const before = await read();
	const res = await server.api('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`, body);
	expect(res.status).toBe(400);
	expect(await read()).toEqual(before);
});

test('when an unknown webhook is rotated, then 404', async () => {
	const res = await server.api('POST', '/api/v1/webhooks/whk_nope/rotate-secret');
	expect(res.status).toBe(404);
	expect(res.body.error.code).toBe('webhook_not_found');
});
