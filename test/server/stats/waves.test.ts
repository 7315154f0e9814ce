import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, hit } from '../../support/short-links';
import { storeEvents } from '../../support/events';

/**
 * A first send to four recipients, then a reminder to the two who did not click: each wave has
 * its own links, and its clicks, unique clickers, CTR and conversions are reported apart.
 */
const sale = 'https://shop.example/sale';
const [r1, r2, r3, r4] = ['+4915100000101', '+4915100000102', '+4915100000103', '+4915100000104'];

let server: TestServer;
let campaignId: string;
const initialCode = new Map<string, string>();
const reminderCode = new Map<string, string>();

const links = (body: Record<string, unknown>) =>
	server.api('POST', `/api/v1/campaigns/${campaignId}/links`, body);
const stats = (query = '') => server.api('GET', `/api/v1/campaigns/${campaignId}/stats${query}`);
const click = (code: string) => hit(`${server.url}/${code}`, { userAgent: chromeOnAndroid });

beforeAll(async () => {
	server = await startTestServer();
	const created = await server.api('POST', '/api/v1/campaigns', { name: 'waves', currency: 'EUR' });
	campaignId = created.body.id;
	// The first send names no wave: it is "Initial", as every send before waves was.
	const first = await links({
		recipients: [r1, r2, r3, r4].map((recipient) => ({ recipient, urls: [sale] })),
	});
	for (const l of first.body.links) initialCode.set(l.recipient, l.code);
	await server.api('POST', `/api/v1/campaigns/${campaignId}/messages`, {
		messages: [r1, r2, r3, r4].map((recipient, i) => ({
			recipient,
			status: 'sent',
			provider: 'seven',
			providerMessageId: `w1-${i}`,
			segments: 1,
		})),
	});
	await click(initialCode.get(r1)!);
	await click(initialCode.get(r1)!);
	await click(initialCode.get(r2)!);
	// an earlier click of the first wave, outside the range evaluated below
	await storeEvents(server, [
		{
			type: 'click',
			campaignId,
			recipient: r4,
			code: initialCode.get(r4),
			url: sale,
			wave: 'Initial',
			occurredAt: new Date(Date.now() - 3 * 86_400_000),
		},
	]);

	const reminder = await links({
		wave: 'Reminder',
		recipients: [r3, r4].map((recipient) => ({ recipient, urls: [sale] })),
	});
	for (const l of reminder.body.links) reminderCode.set(l.recipient, l.code);
	await server.api('POST', `/api/v1/campaigns/${campaignId}/messages`, {
		wave: 'Reminder',
		messages: [r3, r4].map((recipient, i) => ({
			recipient,
			status: 'sent',
			provider: 'seven',
			providerMessageId: `w2-${i}`,
			segments: 1,
		})),
	});
	await click(reminderCode.get(r3)!);
	const conversion = await server.api('POST', '/api/v1/conversions', {
		campaignId,
		recipient: r3,
		name: 'purchase',
		value: 30,
	});
	expect(conversion.status).toBe(201);
});
afterAll(() => server.close());

test('when a reminder wave is shortened, then its recipients get new codes, and a repeat of it returns the same ones', async () => {
	expect(reminderCode.get(r3)).not.toBe(initialCode.get(r3));
	const again = await links({
		wave: 'Reminder',
		recipients: [r3, r4].map((recipient) => ({ recipient, urls: [sale] })),
	});
	expect(again.body.links.map((l: any) => [l.code, l.wave])).toEqual([
		[reminderCode.get(r3), 'Reminder'],
		[reminderCode.get(r4), 'Reminder'],
	]);
	const initialAgain = await links({ recipients: [{ recipient: r1, urls: [sale] }] });
	expect(initialAgain.body.links[0]).toMatchObject({ code: initialCode.get(r1), wave: 'Initial' });
});

test('when the campaign is evaluated, then each wave reports its own clicks, unique clickers, CTR and conversions', async () => {
	const res = await stats();
	expect(res.status).toBe(200);
	expect(res.body.waves).toEqual([
		expect.objectContaining({
			wave: 'Initial',
			recipients: 4,
			sent: 4,
			clicks: 4,
			uniqueClickers: 3,
			ctr: 0.75,
			conversions: 0,
		}),
		expect.objectContaining({
			wave: 'Reminder',
			recipients: 2,
			sent: 2,
			clicks: 1,
			uniqueClickers: 1,
			ctr: 0.5,
			conversions: 1,
			revenue: 30,
		}),
	]);
	// the campaign's totals still count each recipient once
	expect(res.body.totals).toMatchObject({
		recipients: 4,
		clicks: 5,
		uniqueClickers: 4,
		conversions: 1,
	});
});

test("when the evaluation is limited to one wave, then every figure is that wave's", async () => {
	const res = await stats('?wave=Reminder');
	expect(res.status).toBe(200);
	expect(res.body.wave).toBe('Reminder');
	expect(res.body.totals).toMatchObject({
		recipients: 2,
		sent: 2,
		clicks: 1,
		uniqueClickers: 1,
		ctr: 0.5,
		conversions: 1,
	});
	expect(res.body.links).toEqual([
		expect.objectContaining({ url: sale, clicks: 1, uniqueClickers: 1 }),
	]);
	expect(res.body.breakdowns.os.filter((r: any) => r.clicks > 0)).toEqual([
		expect.objectContaining({ key: 'Android', clicks: 1, recipients: 1, uniqueClickers: 1 }),
	]);
	expect(res.body.waves.map((w: any) => w.wave)).toEqual(['Reminder']);
});

test('when a time range is evaluated, then the waves are reported apart from the range rollups too', async () => {
	const from = new Date(Date.now() - 3_600_000).toISOString();
	const to = new Date(Date.now() + 3_600_000).toISOString();
	const res = await stats(`?from=${from}&to=${to}`);
	expect(res.status).toBe(200);
	expect(res.body.waves).toEqual([
		expect.objectContaining({ wave: 'Initial', clicks: 3, uniqueClickers: 2 }),
		expect.objectContaining({ wave: 'Reminder', clicks: 1, uniqueClickers: 1, conversions: 1 }),
	]);
});

test('when recipients are listed for a wave, then "not clicked" means not clicked in that wave', async () => {
	const res = await server.api(
		'GET',
		`/api/v1/campaigns/${campaignId}/recipients?wave=Reminder&clicked=false`,
	);
	expect(res.status).toBe(200);
	expect(res.body.recipients.map((r: any) => r.recipient)).toEqual([r4]);
	const initial = await server.api(
		'GET',
		`/api/v1/campaigns/${campaignId}/recipients?wave=Initial&clicked=true`,
	);
	expect(initial.body.recipients.map((r: any) => [r.recipient, r.clicks])).toEqual([
		[r1, 2],
		[r2, 1],
		[r4, 1],
	]);
});

test("when events are listed for a wave, then only that wave's events come, each naming its wave", async () => {
	const res = await server.api('GET', `/api/v1/campaigns/${campaignId}/events?wave=Reminder`);
	expect(res.status).toBe(200);
	expect(res.body.events.map((e: any) => [e.type, e.recipient, e.wave])).toEqual([
		['click', r3, 'Reminder'],
		['conversion', r3, 'Reminder'],
	]);
});

test('when a wave name is empty or too long, then the request is refused and nothing is written', async () => {
	const before = await server.sql('SELECT count(*)::int AS n FROM links WHERE campaign_id = $1', [
		campaignId,
	]);
	const empty = await links({
		wave: ' ',
		recipients: [{ recipient: r1, urls: ['https://shop.example/new'] }],
	});
	expect(empty.status).toBe(400);
	expect(empty.body.error.code).toBe('invalid_wave');
	const long = await links({
		recipients: [{ recipient: r1, urls: ['https://shop.example/new'], wave: 'x'.repeat(101) }],
	});
	expect(long.status).toBe(400);
	const after = await server.sql('SELECT count(*)::int AS n FROM links WHERE campaign_id = $1', [
		campaignId,
	]);
	expect(after).toEqual(before);
	const message = await server.api('POST', `/api/v1/campaigns/${campaignId}/messages`, {
		messages: [{ recipient: r1, status: 'sent', wave: 7 }],
	});
	expect(message.status).toBe(400);
	expect((await stats(`?wave=${'x'.repeat(101)}`)).status).toBe(400);
	expect((await server.api('GET', `/api/v1/campaigns/${campaignId}/events?wave=%20`)).status).toBe(
		400,
	);
});
