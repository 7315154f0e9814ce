import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let campaignId: string;
const ana = '+4915100000201';
const ben = '+4915100000202';
const t = (minutes: number) => new Date(Date.parse('2026-11-20T09:00:00Z') + minutes * 60_000);

beforeAll(async () => {
	server = await startTestServer({ DEFAULT_CALLING_CODE: 'DE' });
	campaignId = (await server.api('POST', '/api/v1/campaigns', { name: 'event filters' })).body.id;
	await storeEvents(server, [
		{ type: 'click', campaignId, recipient: ana, occurredAt: t(0), clickId: 'filterClick0' },
		{ type: 'view', campaignId, recipient: ben, occurredAt: t(5) },
		{ type: 'click', campaignId, recipient: ben, occurredAt: t(10), clickId: 'filterClick1' },
		{
			type: 'conversion',
			campaignId,
			recipient: ana,
			occurredAt: t(20),
			conversionName: 'purchase',
		},
		{ type: 'click', campaignId, recipient: ana, occurredAt: t(30), clickId: 'filterClick2' },
	]);
});
afterAll(() => server.close());

const events = async (query: string) => {
	const res = await server.api('GET', `/api/v1/campaigns/${campaignId}/events?${query}`);
	expect(res.status).toBe(200);
	return res.body.events.map(
		(e: any) =>
			`${e.type}@${(Date.parse(e.occurredAt) - t(0).getTime()) / 60_000}:${e.recipient.slice(-1)}`,
	);
};

test.each([
	[`recipient=${encodeURIComponent(ana)}`, ['click@0:1', 'conversion@20:1', 'click@30:1']],
	['recipient=015100000202', ['view@5:2', 'click@10:2']],
	['from=2026-11-20T09:05:00Z&to=2026-11-20T09:20:00Z', ['view@5:2', 'click@10:2']],
	['from=2026-11-20T09:10:00Z', ['click@10:2', 'conversion@20:1', 'click@30:1']],
	['to=2026-11-20T09:10:00Z&type=click', ['click@0:1']],
	[`type=click&recipient=${encodeURIComponent(ana)}&from=2026-11-20T09:01:00Z`, ['click@30:1']],
])(
	'when events are asked with %s, then exactly those events come back, oldest first',
	async (query, expected) => {
		expect(await events(query)).toEqual(expected);
	},
);

test('when events of one recipient are paged, then the pages hold each of their events once', async () => {
	const seen: string[] = [];
	let cursor: string | null = null;
	do {
		const res: any = await server.api(
			'GET',
			`/api/v1/campaigns/${campaignId}/events?recipient=${encodeURIComponent(ana)}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
		);
		seen.push(...res.body.events.map((e: any) => e.type));
		cursor = res.body.nextCursor;
	} while (cursor);
	expect(seen).toEqual(['click', 'conversion', 'click']);
});

test.each([
	['recipient=not-a-phone', 'recipient'],
	['from=yesterday', 'from must be an ISO 8601'],
	['from=2026-11-21&to=2026-11-20', 'from must be before to'],
	['since=2026-11-20', 'unknown query parameter(s): since'],
])(
	'when events are asked with %s, then the answer is 400 naming the problem',
	async (query, message) => {
		const res = await server.api('GET', `/api/v1/campaigns/${campaignId}/events?${query}`);
		expect(res.status).toBe(400);
		expect(res.body.error.message).toContain(message);
	},
);
