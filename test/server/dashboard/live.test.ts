import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request, startTestServer, testApiKey, type TestServer } from '../../support/server';
import { spawnServer } from '../../support/spawn-server';
import { dataOf, openSse, type SseClient } from '../../support/sse';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { userAgents } from '../../support/user-agents';
import { waitFor } from '../../support/wait';

const liveUrl = (server: { url: string }, campaignId: string) =>
	`${server.url}/api/v1/campaigns/${campaignId}/live`;
const auth = { authorization: `Bearer ${testApiKey}` };
const received = (stream: SseClient, n: number, what: string) =>
	waitFor(() => dataOf(stream), { what, until: (events) => events.length >= n });

/** A campaign with conversion tracking and one short link per recipient. */
async function campaign(server: Pick<TestServer, 'api'>, recipients: string[]) {
	return createCampaignWithLinks(
		server,
		{ name: 'live', conversionTracking: true },
		recipients.map((recipient) => ({ recipient, urls: ['https://shop.example/live'] })),
	);
}

/** A real click through the redirect; returns its click id. */
async function click(shortUrl: string): Promise<string> {
	const res = await hit(shortUrl, { userAgent: chromeOnAndroid });
	expect(res.status).toBe(302);
	return new URL(res.location!).searchParams.get('sms_cid')!;
}

const shortUrl = (server: { url: string }, code: string) => `${server.url}/${code}`;

describe('on PostgreSQL', () => {
	let server: TestServer;
	const open: SseClient[] = [];
	const stream = async (url: string, headers: Record<string, string> = auth) => {
		const client = await openSse(url, headers);
		open.push(client);
		return client;
	};
	beforeAll(async () => {
		server = await startTestServer({ LIVE_MAX_CONNECTIONS: '3' });
	});
	afterEach(async () => {
		for (const client of open.splice(0)) client.close();
		await waitFor(() => server.live.size(), {
			what: 'every stream to be closed',
			until: (n) => n === 0,
		});
	});
	afterAll(() => server?.close());

	test('when a stream is opened without a valid API key, then it is refused with 401 and nothing streams', async () => {
		const { campaignId } = await campaign(server, ['+4915100000001']);
		const withoutValidKey: Array<Record<string, string>> = [
			{},
			{ authorization: 'Bearer not-the-key-0000000000' },
		];
		for (const headers of withoutValidKey) {
			const client = await stream(liveUrl(server, campaignId), headers);
			expect(client.status).toBe(401);
			expect(client.body).toMatchObject({ error: { code: 'unauthorized' } });
		}
		const unknown = await stream(liveUrl(server, 'cmp_doesnotexist'));
		expect(unknown.status).toBe(404);
		const badResume = await stream(liveUrl(server, campaignId), {
			...auth,
			'last-event-id': 'yesterday',
		});
		expect(badResume.status).toBe(400);
		expect(badResume.body).toMatchObject({ error: { code: 'invalid_last_event_id' } });
	});

	test('when recipients click, preview and convert, then the open stream of their campaign gets each event once, with the phone number masked', async () => {
		const { campaignId, codes } = await campaign(server, ['+4915112345667', '+14155550167']);
		const other = await campaign(server, ['+4915100000002']);
		const mine = await stream(liveUrl(server, campaignId));
		const theirs = await stream(liveUrl(server, other.campaignId));
		expect(mine.status).toBe(200);
		expect(mine.headers.get('content-type')).toMatch(/^text\/event-stream/);

		const clickId = await click(shortUrl(server, codes[0]));
		await hit(shortUrl(server, codes[1]), { userAgent: userAgents.whatsAppAndroid });
		const conversion = await server.api('POST', '/api/v1/conversions', {
			clickId,
			name: 'purchase',
			value: 19.9,
			currency: 'EUR',
		});
		expect(conversion.status).toBe(201);
		await click(shortUrl(server, other.codes[0]));

		const events = await received(mine, 3, 'a click, a view and a conversion');
		expect(events.map((e) => [e.type, e.code, e.recipient])).toEqual([
			['click', codes[0], '+49 151 •••• 67'],
			['view', codes[1], '+1 415 •••• 67'],
			['conversion', codes[0], '+49 151 •••• 67'],
		]);
		expect(events[0]).toMatchObject({
			campaignId,
			url: 'https://shop.example/live',
			device: { type: 'mobile', os: 'Android' },
		});
		expect(events[2].conversion).toEqual({ name: 'purchase', value: 19.9, currency: 'EUR' });
		expect(JSON.stringify(mine.messages)).not.toMatch(/12345667|5550167|sms_cid|clickId/);
		// the message ids are the events' ids, so a client can resume after the last one it saw
		const stored = (await server.api('GET', `/api/v1/campaigns/${campaignId}/events`)).body.events;
		expect(mine.messages.filter((m) => m.event === 'message').map((m) => m.id)).toEqual(
			stored.map((e: { id: string }) => e.id),
		);
		const otherEvents = await received(theirs, 1, 'the other campaign’s click');
		expect(otherEvents.map((e) => e.campaignId)).toEqual([other.campaignId]);
		expect(dataOf(mine)).toHaveLength(3);
	});

	test('when a client reconnects with Last-Event-ID, then it gets exactly the events it missed, and a new client starts with the latest ones', async () => {
		const { campaignId, codes } = await campaign(server, [
			'+4915100000011',
			'+4915100000012',
			'+4915100000013',
		]);
		const first = await stream(liveUrl(server, campaignId));
		await click(shortUrl(server, codes[0]));
		const [seen] = await received(first, 1, 'the first click');
		first.close();
		await waitFor(() => server.live.size(), {
			what: 'the first stream to close',
			until: (n) => n === 0,
		});

		await click(shortUrl(server, codes[1]));
		await click(shortUrl(server, codes[2]));
		await waitFor(
			async () =>
				(await server.api('GET', `/api/v1/campaigns/${campaignId}/events`)).body.events.length,
			{
				what: 'the missed clicks to be stored',
				until: (n) => n === 3,
			},
		);

		const resumed = await stream(liveUrl(server, campaignId), {
			...auth,
			'last-event-id': seen.id,
		});
		const missed = await received(resumed, 2, 'the two missed clicks');
		await click(shortUrl(server, codes[0]));
		const all = await received(resumed, 3, 'the click after resuming');
		expect(all.map((e) => e.code)).toEqual([codes[1], codes[2], codes[0]]);
		// "ready" separates what was missed from what happened since
		expect(resumed.messages.map((m) => m.event)).toEqual([
			'message',
			'message',
			'ready',
			'message',
		]);
		expect(missed.every((e) => BigInt(e.id) > BigInt(seen.id))).toBe(true);

		const fresh = await stream(liveUrl(server, campaignId));
		const latest = await received(fresh, 4, 'the campaign’s latest events');
		expect(latest.map((e) => e.code)).toEqual([codes[0], codes[1], codes[2], codes[0]]);
	});

	test('when more streams are opened than LIVE_MAX_CONNECTIONS, then the extra one gets 503 with Retry-After until one closes', async () => {
		const { campaignId } = await campaign(server, ['+4915100000021']);
		const three = [
			await stream(liveUrl(server, campaignId)),
			await stream(liveUrl(server, campaignId)),
			await stream(liveUrl(server, campaignId)),
		];
		expect(three.map((c) => c.status)).toEqual([200, 200, 200]);
		const refused = await stream(liveUrl(server, campaignId));
		expect(refused.status).toBe(503);
		expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
		expect(refused.body).toMatchObject({ error: { code: 'too_many_streams' } });

		three[0].close();
		await waitFor(() => server.live.size(), { what: 'a stream to close', until: (n) => n === 2 });
		expect((await stream(liveUrl(server, campaignId))).status).toBe(200);
	});

	test('when events are stored by another instance on the same database, then this instance’s stream gets them (LISTEN/NOTIFY)', async () => {
		const other = await startTestServer({
			DATABASE_URL: server.databaseUrl,
			WEBHOOK_DISPATCHER: 'off',
		});
		try {
			const { campaignId, codes } = await campaign(server, ['+4915100000031']);
			const client = await stream(liveUrl(server, campaignId));
			await waitFor(() => server.live.following(), {
				what: 'notifications to arrive',
				until: (how) => how === 'notifications',
			});
			await click(shortUrl(other, codes[0]));
			// this instance does not poll while notifications arrive: only the NOTIFY can bring it
			const [event] = await received(client, 1, 'the click stored by the other instance');
			expect(event.code).toBe(codes[0]);
		} finally {
			await other.close();
		}
	});
});

test('when a stream is idle, then heartbeats keep it alive; when the server stops, the stream ends at once instead of holding the shutdown', async () => {
	// A shutdown timeout far beyond the test's: a stream left open would make close() wait for it.
	const server = await startTestServer({
		LIVE_HEARTBEAT_SECONDS: '1',
		SHUTDOWN_TIMEOUT_MS: '600000',
	});
	let client: SseClient | undefined;
	try {
		const { campaignId } = await campaign(server, ['+4915100000041']);
		client = await openSse(liveUrl(server, campaignId), auth);
		await waitFor(() => client!.comments, { what: 'two heartbeats', until: (n) => n >= 2 });
	} finally {
		await server.close();
	}
	await waitFor(() => client!.ended, { what: 'the stream to end' });
	expect(client.messages.at(-1)).toEqual({ event: 'end', data: '{"reason":"shutdown"}' });
});

test('when the server runs on the embedded database (no notifications), then a click still reaches the open stream', async () => {
	const server = await spawnServer({
		API_KEY: testApiKey,
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sms-live-embedded-')),
		LOG_LEVEL: 'warn',
		CLICK_COMMIT_TIMEOUT_MS: '20000',
	});
	let client: SseClient | undefined;
	try {
		const api = {
			api: (method: string, p: string, body?: unknown) =>
				request(`${server.url}${p}`, method, body, auth),
		};
		const { campaignId, codes } = await campaign(api, ['+4915100000051']);
		client = await openSse(liveUrl(server, campaignId), auth);
		expect(client.status).toBe(200);
		await click(shortUrl(server, codes[0]));
		const [event] = await received(client, 1, 'the click on the embedded database');
		expect(event).toMatchObject({ type: 'click', code: codes[0], recipient: '+49 151 •••• 51' });
	} finally {
		client?.close();
		await server.stop();
	}
}, 120_000);
