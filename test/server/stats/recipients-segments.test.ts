import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { info, people as p, sale, seedKnownCampaign } from '../../support/stats-seed';

/**
 * Segments of GET …/recipients on the seeded campaign (test/support/stats-seed.ts): a1 delivered
 * (iOS, DE, both links, viewed), a2 sent (Windows desktop, AT, converted), a3 sent (viewed only),
 * a4 failed after the provider accepted it, b1 delivered by report (Android, DE, converted),
 * b2 sent (bots only), b3 rejected (failed), h1 hold-out (Android, DE), h2 hold-out.
 */
let server: TestServer;
let id: string;
beforeAll(async () => {
	server = await startTestServer();
	id = await seedKnownCampaign(server, 'Segments');
});
afterAll(() => server.close());

const list = (query: string) => server.api('GET', `/api/v1/campaigns/${id}/recipients?${query}`);

test.each([
	['status=sent', [p.a1, p.a2, p.a3, p.a4, p.b1, p.b2]],
	['status=delivered', [p.a1, p.b1]],
	['status=failed', [p.a4, p.b3]],
	['status=holdout', [p.h1, p.h2]],
	['holdout=exclude', [p.a1, p.a2, p.a3, p.a4, p.b1, p.b2, p.b3]],
	['clicked=false', [p.a3, p.b2]],
	['clicked=false&holdout=include', [p.a3, p.b2, p.h2]],
	['clicked=false&status=failed', [p.a4, p.b3]],
	['viewed=false', [p.a2, p.b1, p.b2]],
	['converted=false&clicked=true', [p.a1]],
	['os=android', [p.b1, p.h1]],
	['os=Android&country=DE&converted=false', []],
	['os=Android&country=DE&converted=false&holdout=include', [p.h1]],
	['os=iOS', [p.a1]],
	['deviceType=mobile', [p.a1, p.b1, p.h1]],
	['deviceType=mobile&holdout=exclude', [p.a1, p.b1]],
	['country=at', [p.a2]],
	['country=DE&status=delivered', [p.a1, p.b1]],
	[`url=${encodeURIComponent(info)}`, [p.a1]],
	[`url=${encodeURIComponent(sale)}&clicked=true&holdout=exclude`, [p.a1, p.a2, p.b1]],
	['clickedWithinHours=24', []],
	['notClickedWithinHours=24', [p.a1, p.a2, p.a3, p.b1, p.b2]],
])(
	'when recipients are filtered by %s, then exactly that segment comes back',
	async (query, expected) => {
		const res = await list(query);
		expect(res.status).toBe(200);
		expect(res.body.recipients.map((r: any) => r.recipient)).toEqual([...expected].sort());
	},
);

test('when recipients are listed, then each carries its status (hold-out, delivered, failed or sent)', async () => {
	const res = await list('');
	const status = Object.fromEntries(res.body.recipients.map((r: any) => [r.recipient, r.status]));
	expect(status).toEqual({
		[p.a1]: 'delivered',
		[p.a2]: 'sent',
		[p.a3]: 'sent',
		[p.a4]: 'failed',
		[p.b1]: 'delivered',
		[p.b2]: 'sent',
		[p.b3]: 'failed',
		[p.h1]: 'holdout',
		[p.h2]: 'holdout',
	});
});

test('when clicks happened within the last hours, then clickedWithinHours and notClickedWithinHours split the recipients by the time of their clicks', async () => {
	const campaign = (await server.api('POST', '/api/v1/campaigns', { name: 'recent clicks' })).body;
	const recipients = ['+4915100000101', '+4915100000102', '+4915100000103'];
	const links = await server.api('POST', `/api/v1/campaigns/${campaign.id}/links`, {
		recipients: recipients.map((recipient) => ({ recipient, urls: [sale] })),
	});
	const code = (recipient: string) =>
		links.body.links.find((l: any) => l.recipient === recipient).code;
	await storeEvents(server, [
		{
			type: 'click',
			campaignId: campaign.id,
			code: code(recipients[0]),
			recipient: recipients[0],
			url: sale,
			occurredAt: new Date(Date.now() - 10 * 60_000),
		},
		{
			type: 'click',
			campaignId: campaign.id,
			code: code(recipients[1]),
			recipient: recipients[1],
			url: sale,
			occurredAt: new Date(Date.now() - 3 * 3_600_000),
		},
	]);
	const of = async (query: string) =>
		(
			await server.api('GET', `/api/v1/campaigns/${campaign.id}/recipients?${query}`)
		).body.recipients.map((r: any) => r.recipient);
	expect(await of('clickedWithinHours=1')).toEqual([recipients[0]]);
	expect(await of('clickedWithinHours=4')).toEqual([recipients[0], recipients[1]]);
	expect(await of('notClickedWithinHours=1')).toEqual([recipients[1], recipients[2]]);
	expect(await of('notClickedWithinHours=1&clicked=true')).toEqual([recipients[1]]);
});

test.each([
	['status=opened', 'status must be one of sent, delivered, failed, holdout'],
	['holdout=only', 'holdout must be one of include, exclude'],
	['holdout=exclude&status=holdout', 'holdout=exclude contradicts'],
	['clickedWithinHours=0', 'clickedWithinHours must be a whole number of hours'],
	['notClickedWithinHours=1.5', 'notClickedWithinHours must be a whole number of hours'],
	['country=DEU', 'country must be'],
	['country=D1', 'country must be an ISO 3166 code'],
	['url=javascript:alert(1)', 'url must be an absolute http'],
	['deviceType=' + 'x'.repeat(40), 'deviceType must be a text of at most 32'],
	['wavy=1', 'unknown query parameter(s): wavy'],
])(
	'when recipients are asked with %s, then the answer is 400 naming the problem',
	async (query, message) => {
		const res = await list(query);
		expect(res.status).toBe(400);
		expect(res.body.error.message).toContain(message);
	},
);
