import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { insertEvents } from '../../../server/src/events/store';
import { campaignWithLink, conversionsOf, seedClick, storeClick } from '../../support/conversions';
import { startTestServer, type TestServer } from '../../support/server';

const landing = 'https://shop.example';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({
		ALLOWED_ORIGINS: landing,
		COLLECT_RATE_LIMIT: '10000',
		CONVERSIONS_PER_CLICK: '3',
		CONVERSION_VALUE_MAX: '1000',
	});
});
afterAll(() => server.close());

const post = (body: unknown) => server.api('POST', '/api/v1/conversions', body);
const beacon = async (body: unknown) => {
	const res = await fetch(`${server.url}/collect`, {
		method: 'POST',
		headers: { 'content-type': 'text/plain;charset=UTF-8', origin: landing },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: await res.json() };
};

describe('idempotency keys belong to their click', () => {
	test('when someone with another click id reports an order key first, then the real order on its own click is still stored', async () => {
		const real = await seedClick(server);
		const forger = await storeClick(server, real);
		expect(
			(
				await beacon({
					clickId: forger.clickId,
					name: 'purchase',
					value: 1,
					idempotencyKey: 'ORDER-1001',
				})
			).status,
		).toBe(201);
		const order = await beacon({
			clickId: real.clickId,
			name: 'purchase',
			value: 80,
			idempotencyKey: 'ORDER-1001',
		});
		expect(order).toEqual({ status: 201, body: { stored: true, duplicate: false } });
		expect(
			(
				await beacon({
					clickId: real.clickId,
					name: 'purchase',
					value: 80,
					idempotencyKey: 'ORDER-1001',
				})
			).status,
		).toBe(200);
		expect(
			(await conversionsOf(server, real.campaignId)).map((c) => [c.click_id, c.value]),
		).toEqual([
			[forger.clickId, 1],
			[real.clickId, 80],
		]);
	});

	test('when a server reports by campaign and recipient, then one key is separate per recipient and repeats per recipient are duplicates', async () => {
		const link = await campaignWithLink(server, { recipient: '+4917600000001' });
		await server.api('POST', `/api/v1/campaigns/${link.campaignId}/links`, {
			recipients: [{ recipient: '+4917600000002', urls: [link.url] }],
		});
		const first = await post({
			campaignId: link.campaignId,
			recipient: '+4917600000001',
			name: 'call',
			idempotencyKey: 'K-1',
		});
		const other = await post({
			campaignId: link.campaignId,
			recipient: '+4917600000002',
			name: 'call',
			idempotencyKey: 'K-1',
		});
		const again = await post({
			campaignId: link.campaignId,
			recipient: '+4917600000001',
			name: 'call',
			idempotencyKey: 'K-1',
		});
		expect([first.status, other.status, again.status]).toEqual([201, 201, 200]);
		expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });
		expect(await conversionsOf(server, link.campaignId)).toHaveLength(2);
	});

	test('when a conversion was stored with a campaign-wide key before the upgrade, then migration 009 keeps its repeat a duplicate', async () => {
		const click = await seedClick(server);
		const oldKey =
			'cv_k_' + createHash('sha256').update(`${click.campaignId}\nORDER-OLD`).digest('base64url');
		await insertEvents(server.db, [
			{
				eventKey: oldKey,
				type: 'conversion',
				occurredAt: new Date(),
				...click,
				conversionName: 'purchase',
				idempotencyKey: 'ORDER-OLD',
			},
		]);
		// The migration's statements, run again on this row (they are written to be re-runnable).
		const migration = readFileSync(
			path.join(__dirname, '../../../server/migrations/009_conversion_keys_per_click.sql'),
			'utf8',
		);
		await server.sql(migration.split('-- Down Migration')[0]);
		// In an upgrade, migration 024 ran after 009 and claimed the stored conversions' new keys.
		await server.sql(
			`UPDATE event_keys k SET event_key = e.event_key
			 FROM events e WHERE e.id = k.event_id AND e.occurred_at = k.occurred_at AND k.event_key = $1`,
			[oldKey],
		);
		const repeat = await post({
			clickId: click.clickId,
			name: 'purchase',
			idempotencyKey: 'ORDER-OLD',
		});
		expect([repeat.status, repeat.body.duplicate]).toEqual([200, true]);
		expect(await conversionsOf(server, click.campaignId)).toHaveLength(1);
	});
});

describe('at most CONVERSIONS_PER_CLICK conversions per click', () => {
	test('when a beacon reports past the limit, then it is answered without details and nothing more is stored; a repeat is still a duplicate', async () => {
		const click = await seedClick(server);
		const answers = [];
		for (let i = 1; i <= 5; i++)
			answers.push(
				await beacon({ clickId: click.clickId, name: 'purchase', idempotencyKey: `o-${i}` }),
			);
		expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 202, 202]);
		expect(answers[4].body).toEqual({ stored: false, duplicate: false });
		expect(
			(await beacon({ clickId: click.clickId, name: 'purchase', idempotencyKey: 'o-2' })).status,
		).toBe(200);
		expect(await conversionsOf(server, click.campaignId)).toHaveLength(3);
	});

	test('when the API reports past the limit for a click, then it gets 409 conversion_limit_reached and nothing is stored', async () => {
		const click = await seedClick(server);
		for (let i = 1; i <= 3; i++)
			expect(
				(await post({ clickId: click.clickId, name: 'purchase', idempotencyKey: `a-${i}` })).status,
			).toBe(201);
		const over = await post({ clickId: click.clickId, name: 'purchase', idempotencyKey: 'a-4' });
		expect(over.status).toBe(409);
		expect(over.body.error.code).toBe('conversion_limit_reached');
		expect(await conversionsOf(server, click.campaignId)).toHaveLength(3);
	});

	test('when ten reports for one click race, then no more than the limit are stored', async () => {
		const click = await seedClick(server);
		const answers = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				beacon({ clickId: click.clickId, name: 'purchase', idempotencyKey: `r-${i}` }),
			),
		);
		expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
		expect(await conversionsOf(server, click.campaignId)).toHaveLength(3);
	});
});

describe('CONVERSION_VALUE_MAX', () => {
	test('when the API reports a value over the cap, then it gets 400 value_over_limit and nothing is stored; the cap itself is accepted', async () => {
		const click = await seedClick(server);
		const over = await post({ clickId: click.clickId, name: 'purchase', value: 1000.01 });
		expect([over.status, over.body.error.code]).toEqual([400, 'value_over_limit']);
		expect(over.body.error.message).toMatch(/at most 1000/);
		expect(await conversionsOf(server, click.campaignId)).toEqual([]);
		expect((await post({ clickId: click.clickId, name: 'purchase', value: 1000 })).status).toBe(
			201,
		);
	});

	test('when a beacon or the pixel reports a value over the cap, then nothing is stored and the answer gives no reason', async () => {
		const click = await seedClick(server);
		expect(await beacon({ clickId: click.clickId, name: 'purchase', value: 1e13 })).toEqual({
			status: 202,
			body: { stored: false, duplicate: false },
		});
		const pixel = await fetch(
			`${server.url}/c.gif?sms_cid=${click.clickId}&name=purchase&value=5000`,
		);
		expect([pixel.status, pixel.headers.get('content-type')]).toEqual([200, 'image/gif']);
		expect(await conversionsOf(server, click.campaignId)).toEqual([]);
	});
});

describe('rate limit by address', () => {
	let proxied: TestServer;
	beforeAll(async () => {
		proxied = await startTestServer({ TRUST_PROXY: '1', COLLECT_RATE_LIMIT: '2' });
	});
	afterAll(() => proxied.close());

	const from = async (forwardedFor: string) =>
		(
			await fetch(`${proxied.url}/collect`, {
				method: 'POST',
				headers: { 'content-type': 'text/plain', 'x-forwarded-for': forwardedFor },
				body: '{}',
			})
		).status;

	test('when one IPv6 /64 rotates its addresses, then it shares one budget; another /64 and IPv4 clients keep theirs', async () => {
		// 400: the body is no conversion, but it passed the limit; 429: refused by the limit.
		expect([
			await from('2001:db8:5:6::1'),
			await from('2001:db8:5:6::2'),
			await from('2001:db8:5:6:a:b:c:d'),
		]).toEqual([400, 400, 429]);
		expect(await from('2001:db8:5:7::1')).toBe(400);
		expect(await from('192.0.2.10')).toBe(400);
	});

	test('when the forwarded address is not an IP address, then the proxy address is counted instead of the forged text', async () => {
		const forged = await Promise.all(['a', 'b', 'c'].map((text) => from(`forged-${text}`)));
		expect(forged).toEqual([400, 400, 429]);
	});
});
