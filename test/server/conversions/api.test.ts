import { campaignWithLink, conversionsOf, countConversions, seedClick } from '../../support/conversions';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ PUBLIC_BASE_URL: 'https://go.shop.example' });
});
afterAll(() => server.close());

const post = (body: unknown) => server.api('POST', '/api/v1/conversions', body);

test('when a conversion names a click id, then it is stored with the campaign, recipient, link and variant of that click', async () => {
	const click = await seedClick(server, { variants: [{ name: 'A' }, { name: 'B' }] });
	const res = await post({ clickId: click.clickId, name: 'signup', value: 9.9, currency: 'eur' });
	expect(res.status).toBe(201);
	expect(res.body).toMatchObject({
		campaignId: click.campaignId,
		recipient: click.recipient,
		code: click.code,
		url: click.url,
		variant: click.variant,
		clickId: click.clickId,
		name: 'signup',
		value: 9.9,
		currency: 'EUR',
		idempotencyKey: null,
		duplicate: false,
	});
	expect(click.variant).toMatch(/^[AB]$/);
	expect(await conversionsOf(server, click.campaignId)).toEqual([
		{
			campaign_id: click.campaignId,
			recipient: click.recipient,
			code: click.code,
			url: click.url,
			variant: click.variant,
			click_id: click.clickId,
			conversion_name: 'signup',
			value: 9.9,
			conversion_currency: 'EUR',
			idempotency_key: null,
		},
	]);
});

test('when the same idempotency key is reported again, then the stored conversion comes back as a duplicate and nothing is added', async () => {
	const click = await seedClick(server);
	const body = { clickId: click.clickId, name: 'purchase', value: '49.90', currency: 'EUR', idempotencyKey: 'order-1001' };
	const first = await post(body);
	const again = await post({ ...body, value: 12 });
	expect(first.status).toBe(201);
	expect(again.status).toBe(200);
	expect(again.body).toMatchObject({ id: first.body.id, value: 49.9, idempotencyKey: 'order-1001', duplicate: true });
	expect(await conversionsOf(server, click.campaignId)).toHaveLength(1);
});

test('when two requests with one idempotency key race, then exactly one conversion is stored', async () => {
	const click = await seedClick(server);
	const body = { clickId: click.clickId, name: 'purchase', idempotencyKey: 'race-1' };
	const results = await Promise.all(Array.from({ length: 6 }, () => post(body)));
	expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
	expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
	expect(await conversionsOf(server, click.campaignId)).toHaveLength(1);
});

test('when no idempotency key is given, then the same name for the same click counts once and another name counts again', async () => {
	const click = await seedClick(server);
	expect((await post({ clickId: click.clickId, name: 'signup' })).status).toBe(201);
	expect((await post({ clickId: click.clickId, name: 'signup' })).body.duplicate).toBe(true);
	expect((await post({ clickId: click.clickId, name: 'purchase', value: 5 })).status).toBe(201);
	const names = (await conversionsOf(server, click.campaignId)).map((c) => c.conversion_name);
	expect(names).toEqual(['signup', 'purchase']);
});

test('when a conversion names campaign and recipient, then it is attributed to the recipient\'s latest click', async () => {
	const click = await seedClick(server, { recipient: '+4917600000001' });
	const res = await post({ campaignId: click.campaignId, recipient: '0049 176 00000001', name: 'purchase', value: 20 });
	expect(res.status).toBe(201);
	expect(res.body).toMatchObject({ recipient: '+4917600000001', code: click.code, url: click.url, clickId: click.clickId });
});

test('when a recipient converts without any click, then the conversion keeps the recipient and variant without a link', async () => {
	const link = await campaignWithLink(server, { recipient: '+4917600000002', currency: 'CHF' });
	const res = await post({ campaignId: link.campaignId, recipient: '+4917600000002', name: 'call', value: 3, idempotencyKey: 'call-1' });
	expect(res.status).toBe(201);
	// A value without a currency is in the campaign's currency.
	expect(res.body).toMatchObject({ recipient: '+4917600000002', code: null, url: null, clickId: null, currency: 'CHF', value: 3 });
	const again = await post({ campaignId: link.campaignId, recipient: '+4917600000002', name: 'call', value: 3, idempotencyKey: 'call-1' });
	expect(again.body.duplicate).toBe(true);
});

test('when a webhook subscribes to conversions, then a stored conversion writes its delivery to the outbox and a duplicate does not', async () => {
	const click = await seedClick(server);
	await server.sql(`INSERT INTO webhook_subscriptions (id, url, events, campaign_id, secret) VALUES ($1, 'https://n8n.example/hook', '{conversion}', $2, 'whsec_x')`, [
		`wh_${click.clickId}`,
		click.campaignId,
	]);
	await post({ clickId: click.clickId, name: 'signup', idempotencyKey: 'hook-1' });
	await post({ clickId: click.clickId, name: 'signup', idempotencyKey: 'hook-1' });
	const deliveries = await server.sql(
		`SELECT e.conversion_name FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE d.subscription_id = $1`,
		[`wh_${click.clickId}`],
	);
	expect(deliveries).toEqual([{ conversion_name: 'signup' }]);
});

describe('when the input is bad, then the API answers 4xx and stores nothing', () => {
	let clickId: string;
	let campaignId: string;
	beforeAll(async () => {
		const click = await seedClick(server, { recipient: '+4917600000099' });
		clickId = click.clickId;
		campaignId = click.campaignId;
	});

	const cases: Array<[string, (c: { clickId: string; campaignId: string }) => unknown, number, string]> = [
		['unknown click id', () => ({ clickId: 'Zz9Zz9Zz9Zz9Zz9Zz9Zz9', name: 'signup' }), 404, 'click_not_found'],
		['malformed click id', () => ({ clickId: '../etc', name: 'signup' }), 400, 'invalid_click_id'],
		['negative value', (c) => ({ clickId: c.clickId, name: 'signup', value: -1 }), 400, 'invalid_value'],
		['non-numeric value', (c) => ({ clickId: c.clickId, name: 'signup', value: 'lots' }), 400, 'invalid_value'],
		['value as a boolean', (c) => ({ clickId: c.clickId, name: 'signup', value: true }), 400, 'invalid_value'],
		['value too large', (c) => ({ clickId: c.clickId, name: 'signup', value: 1e20 }), 400, 'invalid_value'],
		['unknown currency', (c) => ({ clickId: c.clickId, name: 'signup', value: 1, currency: 'EURO' }), 400, 'invalid_currency'],
		['made-up currency code', (c) => ({ clickId: c.clickId, name: 'signup', value: 1, currency: 'XQQ' }), 400, 'invalid_currency'],
		['oversized name', (c) => ({ clickId: c.clickId, name: 'x'.repeat(101) }), 400, 'invalid_name'],
		['missing name', (c) => ({ clickId: c.clickId }), 400, 'invalid_name'],
		['name with a control character', (c) => ({ clickId: c.clickId, name: 'sign\nup' }), 400, 'invalid_name'],
		['oversized idempotency key', (c) => ({ clickId: c.clickId, name: 'signup', idempotencyKey: 'k'.repeat(201) }), 400, 'invalid_idempotency_key'],
		['unknown field', (c) => ({ clickId: c.clickId, name: 'signup', revenue: 3 }), 400, 'invalid_request'],
		['click id and recipient together', (c) => ({ clickId: c.clickId, campaignId: c.campaignId, recipient: '+4917600000099', name: 'x' }), 400, 'invalid_request'],
		['neither click id nor campaign', () => ({ name: 'signup' }), 400, 'invalid_request'],
		['unknown campaign', () => ({ campaignId: 'cmp_nope', recipient: '+4917600000099', name: 'signup' }), 404, 'campaign_not_found'],
		['recipient not in the campaign', (c) => ({ campaignId: c.campaignId, recipient: '+4917600000098', name: 'signup' }), 404, 'recipient_not_found'],
		['invalid phone number', (c) => ({ campaignId: c.campaignId, recipient: 'call me', name: 'signup' }), 400, 'invalid_phone'],
		['a JSON array', () => [{ name: 'signup' }], 400, 'invalid_request'],
	];

	test.each(cases)('%s', async (_label, body, status, code) => {
		const before = await countConversions(server);
		const res = await post(body({ clickId, campaignId }));
		expect(res.status).toBe(status);
		expect(res.body.error.code).toBe(code);
		expect(await countConversions(server)).toBe(before);
	});

	test('invalid JSON', async () => {
		const res = await server.api('POST', '/api/v1/conversions', '{"name":', { 'content-type': 'application/json' });
		expect(res.status).toBe(400);
		expect(res.body.error.code).toBe('invalid_json');
		expect(await conversionsOf(server, campaignId)).toEqual([]);
	});

	test('no API key', async () => {
		const res = await fetch(`${server.url}/api/v1/conversions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ clickId, name: 'signup' }),
		});
		expect(res.status).toBe(401);
		expect(await conversionsOf(server, campaignId)).toEqual([]);
	});
});

test('when the tracking code is asked for, then it names this server\'s script, beacon and pixel URLs with the script\'s version', async () => {
	const res = await server.api('GET', '/api/v1/tracking-code?name=order&value=19.5&currency=usd');
	expect(res.status).toBe(200);
	expect(res.body.scriptUrl).toMatch(/^https:\/\/go\.shop\.example\/t\.js\?v=[0-9a-f]{12}$/);
	expect(res.body.collectUrl).toBe('https://go.shop.example/collect');
	expect(res.body.pixelUrl).toBe('https://go.shop.example/c.gif?name=order&value=19.5&currency=USD');
	expect(res.body.script).toContain(`<script src="${res.body.scriptUrl}" async></script>`);
	expect(res.body.conversion).toBe(`<script>smsTracking.conversion({ name: "order", value: 19.5, currency: "USD", idempotencyKey: "ORDER-ID" });</script>`);
	expect(res.body.pixel).toContain('src="https://go.shop.example/c.gif?name=order&amp;value=19.5&amp;currency=USD"');
	expect(res.body.snippet).toContain(res.body.script);
	// The version in the snippet is the one this server serves with a long cache lifetime.
	const local = await fetch(`${server.url}/t.js?v=${res.body.version}`);
	expect(local.headers.get('cache-control')).toContain('immutable');
});

test('when the tracking code is asked for with a bad currency, then it is a 400', async () => {
	const res = await server.api('GET', '/api/v1/tracking-code?currency=ZZZZ');
	expect(res.status).toBe(400);
});

test('when docs/conversions.md shows the tracking code, then it is exactly what the endpoint gives for that domain', async () => {
	const { readFileSync } = await import('node:fs');
	const doc = readFileSync(`${__dirname}/../../../docs/conversions.md`, 'utf8');
	const code = (await server.api('GET', '/api/v1/tracking-code')).body;
	expect(doc).toContain(code.snippet.replace(`?v=${code.version}`, '?v=<version>'));
});
