import { startTestServer, request, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_DISPATCHER: 'off' });
});
afterAll(() => server.close());

const count = async () => (await server.sql<{ n: number }>('SELECT count(*)::int AS n FROM webhook_subscriptions'))[0].n;

test('when a webhook is created, then it answers 201 with a Standard Webhooks secret shown only this once', async () => {
	const res = await server.api('POST', '/api/v1/webhooks', { url: 'https://n8n.example/webhook/abc/webhook', events: ['view', 'click'] });
	expect(res.status).toBe(201);
	expect(res.body).toMatchObject({ url: 'https://n8n.example/webhook/abc/webhook', events: ['click', 'view'], campaignId: null });
	expect(res.body.id).toMatch(/^whk_[A-Za-z0-9]{20}$/);
	expect(Date.parse(res.body.createdAt)).not.toBeNaN();
	expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
	expect(Buffer.from(res.body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);

	const one = await server.api('GET', `/api/v1/webhooks/${res.body.id}`);
	expect(one.status).toBe(200);
	expect(one.body).toMatchObject({ id: res.body.id, events: ['click', 'view'], active: true });
	expect(one.body.secret).toBeUndefined();
	const list = await server.api('GET', '/api/v1/webhooks');
	expect(list.body.webhooks.map((w: any) => w.id)).toContain(res.body.id);
	expect(list.body.webhooks.every((w: any) => w.secret === undefined)).toBe(true);
});

test('when two webhooks are created, then each gets its own secret', async () => {
	const body = { url: 'https://n8n.example/webhook/twice', events: ['click'] };
	const a = await server.api('POST', '/api/v1/webhooks', body);
	const b = await server.api('POST', '/api/v1/webhooks', body);
	expect(a.body.secret).not.toBe(b.body.secret);
	expect(a.body.id).not.toBe(b.body.id);
});

test('when the list is filtered by url or campaign, then only matching webhooks come back', async () => {
	const campaign = (await server.api('POST', '/api/v1/campaigns', { name: 'filter' })).body.id;
	const url = `https://n8n.example/webhook/${campaign}`;
	const mine = await server.api('POST', '/api/v1/webhooks', { url, events: ['conversion'], campaignId: campaign });
	await server.api('POST', '/api/v1/webhooks', { url: 'https://n8n.example/webhook/other', events: ['click'] });
	const byUrl = await server.api('GET', `/api/v1/webhooks?url=${encodeURIComponent(url)}`);
	expect(byUrl.body.webhooks.map((w: any) => w.id)).toEqual([mine.body.id]);
	const byCampaign = await server.api('GET', `/api/v1/webhooks?campaignId=${campaign}`);
	expect(byCampaign.body.webhooks).toEqual([expect.objectContaining({ id: mine.body.id, campaignId: campaign })]);
});

test('when a webhook is deleted, then it is gone and a second delete is 404', async () => {
	const created = await server.api('POST', '/api/v1/webhooks', { url: 'https://n8n.example/webhook/del', events: ['failed'] });
	expect((await server.api('DELETE', `/api/v1/webhooks/${created.body.id}`)).status).toBe(204);
	expect((await server.api('GET', `/api/v1/webhooks/${created.body.id}`)).status).toBe(404);
	const again = await server.api('DELETE', `/api/v1/webhooks/${created.body.id}`);
	expect(again.status).toBe(404);
	expect(again.body.error.code).toBe('webhook_not_found');
});

test.each([
	['a javascript: URL', { url: 'javascript:alert(1)', events: ['click'] }, 'invalid_url'],
	['an ftp URL', { url: 'ftp://n8n.example/hook', events: ['click'] }, 'invalid_url'],
	['a relative URL', { url: '/webhook/x', events: ['click'] }, 'invalid_url'],
	['no URL', { events: ['click'] }, 'invalid_url'],
	['an unknown event type', { url: 'https://n8n.example/h', events: ['click', 'bot'] }, 'invalid_event_type'],
	['no events', { url: 'https://n8n.example/h', events: [] }, 'invalid_request'],
	['events that are not a list', { url: 'https://n8n.example/h', events: 'click' }, 'invalid_request'],
	['an unknown field', { url: 'https://n8n.example/h', events: ['click'], secret: 'mine' }, 'invalid_request'],
])('when the body has %s, then 400 and nothing is stored', async (_name, body, code) => {
	const before = await count();
	const res = await server.api('POST', '/api/v1/webhooks', body);
	expect(res.status).toBe(400);
	expect(res.body.error.code).toBe(code);
	expect(await count()).toBe(before);
});

test('when the campaign does not exist, then 404 and nothing is stored', async () => {
	const before = await count();
	const res = await server.api('POST', '/api/v1/webhooks', { url: 'https://n8n.example/h', events: ['click'], campaignId: 'cmp_nope' });
	expect(res.status).toBe(404);
	expect(res.body.error.code).toBe('campaign_not_found');
	expect(await count()).toBe(before);
});

test('when the API key is missing, then every webhook route answers 401', async () => {
	for (const [method, path] of [
		['POST', '/api/v1/webhooks'],
		['GET', '/api/v1/webhooks'],
		['GET', '/api/v1/webhooks/whk_x'],
		['DELETE', '/api/v1/webhooks/whk_x'],
		['GET', '/api/v1/webhooks/whk_x/deliveries'],
		['POST', '/api/v1/webhooks/whk_x/deliveries/msg_x/retry'],
	]) {
		expect((await request(`${server.url}${path}`, method, method === 'POST' ? {} : undefined)).status).toBe(401);
	}
});

test('when deliveries of an unknown webhook are asked for, then 404', async () => {
	expect((await server.api('GET', '/api/v1/webhooks/whk_unknown/deliveries')).status).toBe(404);
	expect((await server.api('POST', '/api/v1/webhooks/whk_unknown/deliveries/msg_x/retry')).status).toBe(404);
});
