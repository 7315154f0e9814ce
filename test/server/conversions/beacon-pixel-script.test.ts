import { conversionsOf, countConversions, seedClick } from '../../support/conversions';
import { startTestServer, type TestServer } from '../../support/server';

const landing = 'https://shop.example';

let server: TestServer;
beforeAll(async () => {
	// A high limit: this file's own requests all come from 127.0.0.1 (the limit has its own test).
	server = await startTestServer({ ALLOWED_ORIGINS: `${landing}, https://www.shop.example/`, COLLECT_RATE_LIMIT: '10000' });
});
afterAll(() => server.close());

/** A beacon as navigator.sendBeacon sends a string: text/plain, from the landing page's origin. */
const beacon = (body: unknown, headers: Record<string, string> = {}) =>
	fetch(`${server.url}/collect`, {
		method: 'POST',
		headers: { 'content-type': 'text/plain;charset=UTF-8', origin: landing, ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});

const pixel = (query: string, headers: Record<string, string> = {}) => fetch(`${server.url}/c.gif?${query}`, { headers });

async function expectGif(res: Response) {
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('image/gif');
	expect(res.headers.get('cache-control')).toBe('no-store');
	const body = Buffer.from(await res.arrayBuffer());
	expect(body.subarray(0, 6).toString('latin1')).toBe('GIF89a');
	expect(body.readUInt16LE(6)).toBe(1); // width
	expect(body.readUInt16LE(8)).toBe(1); // height
}

describe('the beacon endpoint (t.js)', () => {
	test('when t.js reports a conversion as text/plain, then it is stored for the click and the answer names no recipient', async () => {
		const click = await seedClick(server);
		const res = await beacon({ clickId: click.clickId, name: 'signup', value: 9.9, currency: 'EUR', idempotencyKey: 'k1' });
		expect(res.status).toBe(201);
		expect(res.headers.get('access-control-allow-origin')).toBe(landing);
		expect(res.headers.get('access-control-allow-credentials')).toBe('true');
		expect(await res.json()).toEqual({ stored: true, duplicate: false });
		expect(await conversionsOf(server, click.campaignId)).toMatchObject([
			{ recipient: click.recipient, code: click.code, url: click.url, click_id: click.clickId, conversion_name: 'signup', value: 9.9, conversion_currency: 'EUR', idempotency_key: 'k1' },
		]);
		const again = await beacon({ clickId: click.clickId, name: 'signup', value: 9.9, currency: 'EUR', idempotencyKey: 'k1' });
		expect(again.status).toBe(200);
		expect(await again.json()).toEqual({ stored: false, duplicate: true });
		expect(await conversionsOf(server, click.campaignId)).toHaveLength(1);
	});

	test('when a report carries no click id, then the sms_cid cookie of the tracking domain attributes it', async () => {
		const click = await seedClick(server);
		const res = await beacon({ name: 'signup' }, { cookie: `other=1; sms_cid=${click.clickId}` });
		expect(res.status).toBe(201);
		expect((await conversionsOf(server, click.campaignId))[0]).toMatchObject({ click_id: click.clickId, conversion_name: 'signup' });
	});

	test('when fetch sends application/json from an allowed origin, then the preflight passes and the conversion is stored', async () => {
		const click = await seedClick(server);
		const pre = await fetch(`${server.url}/collect`, {
			method: 'OPTIONS',
			headers: { origin: 'https://www.shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
		});
		expect(pre.status).toBe(204);
		expect(pre.headers.get('access-control-allow-origin')).toBe('https://www.shop.example');
		expect(pre.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
		const res = await beacon({ clickId: click.clickId, name: 'lead' }, { 'content-type': 'application/json', origin: 'https://www.shop.example' });
		expect(res.status).toBe(201);
		expect(await conversionsOf(server, click.campaignId)).toMatchObject([{ click_id: click.clickId, conversion_name: 'lead' }]);
	});

	test('when a page from another origin reports, then it gets 403 without CORS headers and nothing is stored', async () => {
		const click = await seedClick(server);
		const pre = await fetch(`${server.url}/collect`, {
			method: 'OPTIONS',
			headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
		});
		expect(pre.status).toBe(403);
		expect(pre.headers.get('access-control-allow-origin')).toBeNull();
		const res = await beacon({ clickId: click.clickId, name: 'signup' }, { origin: 'https://evil.example' });
		expect(res.status).toBe(403);
		expect(res.headers.get('access-control-allow-origin')).toBeNull();
		expect((await res.json()).error.code).toBe('origin_not_allowed');
		expect(await conversionsOf(server, click.campaignId)).toEqual([]);
	});

	test.each([
		['negative value', (id: string) => ({ clickId: id, name: 'signup', value: -5 }), 400],
		['unknown currency', (id: string) => ({ clickId: id, name: 'signup', value: 5, currency: 'ABC' }), 400],
		['oversized name', (id: string) => ({ clickId: id, name: 'n'.repeat(500) }), 400],
		['no click id and no cookie', () => ({ name: 'signup' }), 400],
		['unknown field', (id: string) => ({ clickId: id, name: 'signup', recipient: '+4915112345678' }), 400],
		['not JSON', () => 'name=signup', 400],
	])('when the report has %s, then it is rejected and nothing is stored', async (_label, body, status) => {
		const click = await seedClick(server);
		const before = await countConversions(server);
		const res = await beacon(body(click.clickId));
		expect(res.status).toBe(status);
		expect(await countConversions(server)).toBe(before);
	});

	test('when the body is larger than a beacon needs, then it is a 413', async () => {
		const res = await beacon({ name: 'x', pad: 'p'.repeat(10_000) });
		expect(res.status).toBe(413);
	});
});

describe('the pixel', () => {
	test('when the pixel carries sms_cid, name, value and currency, then it answers the GIF and stores the conversion', async () => {
		const click = await seedClick(server);
		await expectGif(await pixel(`sms_cid=${click.clickId}&name=purchase&value=19.90&currency=EUR`));
		expect(await conversionsOf(server, click.campaignId)).toMatchObject([
			{ click_id: click.clickId, code: click.code, recipient: click.recipient, conversion_name: 'purchase', value: 19.9, conversion_currency: 'EUR' },
		]);
		// A reloaded confirmation page: same click and name, no new conversion.
		await expectGif(await pixel(`sms_cid=${click.clickId}&name=purchase&value=19.90&currency=EUR`));
		expect(await conversionsOf(server, click.campaignId)).toHaveLength(1);
	});

	test('when only the sms_cid cookie names the click, then the pixel attributes the conversion from it', async () => {
		const click = await seedClick(server);
		await expectGif(await pixel('name=signup', { cookie: `sms_cid=${click.clickId}` }));
		expect((await conversionsOf(server, click.campaignId))[0]).toMatchObject({ click_id: click.clickId, conversion_name: 'signup' });
	});

	test('when the pixel gets bad input, then it still answers the same GIF and stores nothing', async () => {
		const click = await seedClick(server);
		const before = await countConversions(server);
		const queries = [
			'',
			'name=signup',
			`sms_cid=${click.clickId}`,
			`sms_cid=${click.clickId}&name=signup&value=-1`,
			`sms_cid=${click.clickId}&name=signup&value=abc`,
			`sms_cid=${click.clickId}&name=signup&value=1&currency=EURO`,
			`sms_cid=${click.clickId}&name=${'x'.repeat(300)}`,
			`sms_cid=${click.clickId}&name=a&name=b`,
			'sms_cid=%E0%A4%A&name=signup',
		];
		for (const res of await Promise.all(queries.map((q) => pixel(q)))) await expectGif(res);
		await expectGif(await pixel('name=signup', { cookie: 'sms_cid=..%2F..' }));
		const head = await fetch(`${server.url}/c.gif?sms_cid=${click.clickId}&name=signup`, { method: 'HEAD' });
		expect(head.headers.get('content-type')).toBe('image/gif');
		expect(await countConversions(server)).toBe(before);
	});
});

describe('the script', () => {
	test('when t.js is fetched with its version, then it may be cached for a year; without, for minutes', async () => {
		const code = (await server.api('GET', '/api/v1/tracking-code')).body;
		const versioned = await fetch(`${server.url}/t.js?v=${code.version}`);
		expect(versioned.status).toBe(200);
		expect(versioned.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
		expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		const text = await versioned.text();
		expect(text).toContain('smsTracking');
		expect(text).toContain('sendBeacon');

		const plain = await fetch(`${server.url}/t.js`);
		expect(plain.headers.get('cache-control')).toBe('public, max-age=300');
		const stale = await fetch(`${server.url}/t.js?v=000000000000`);
		expect(stale.headers.get('cache-control')).toBe('public, max-age=300');
		const revalidated = await fetch(`${server.url}/t.js`, { headers: { 'if-none-match': plain.headers.get('etag')! } });
		expect(revalidated.status).toBe(304);
	});
});

describe('rate limiting', () => {
	test('when one address sends more reports than COLLECT_RATE_LIMIT per minute, then the rest get 429 and pixels store nothing', async () => {
		const limited = await startTestServer({ COLLECT_RATE_LIMIT: '3' });
		try {
			const click = await seedClick(limited);
			const send = (name: string) =>
				fetch(`${limited.url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ clickId: click.clickId, name }) });
			const statuses = [];
			for (const name of ['a', 'b', 'c', 'd']) statuses.push((await send(name)).status);
			expect(statuses).toEqual([201, 201, 201, 429]);
			const res = await send('e');
			expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
			const gif = await fetch(`${limited.url}/c.gif?sms_cid=${click.clickId}&name=f`);
			expect(gif.headers.get('content-type')).toBe('image/gif');
			expect((await conversionsOf(limited, click.campaignId)).map((c) => c.conversion_name)).toEqual(['a', 'b', 'c']);
		} finally {
			await limited.close();
		}
	});
});

test('when no ALLOWED_ORIGINS is configured, then beacons from any page are stored but no CORS headers are sent', async () => {
	const open = await startTestServer();
	try {
		const click = await seedClick(open);
		const res = await fetch(`${open.url}/collect`, {
			method: 'POST',
			headers: { 'content-type': 'text/plain', origin: 'https://anywhere.example' },
			body: JSON.stringify({ clickId: click.clickId, name: 'signup' }),
		});
		expect(res.status).toBe(201);
		expect(res.headers.get('access-control-allow-origin')).toBeNull();
		expect(await conversionsOf(open, click.campaignId)).toMatchObject([{ click_id: click.clickId, conversion_name: 'signup' }]);
	} finally {
		await open.close();
	}
});
