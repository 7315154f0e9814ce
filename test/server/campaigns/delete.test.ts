import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

const serverFallback = 'https://shop.example/gone';
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ FALLBACK_URL: serverFallback });
});
afterAll(() => server.close());

const tables = [
	'links',
	'messages',
	'events',
	'stats_recipients',
	'stats_urls',
	'stats_pending',
	'stats_recipient_traits',
	'recipient_metadata',
	'webhook_subscriptions',
];

async function rowsOf(campaignId: string): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const table of tables) {
		const [{ n }] = await server.sql<{ n: number }>(
			`SELECT count(*)::int AS n FROM ${table} WHERE campaign_id = $1`,
			[campaignId],
		);
		counts[table] = n;
	}
	return counts;
}

async function campaignWithData() {
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ name: 'to delete', fallbackUrl: 'https://shop.example/campaign-fallback' },
		[{ recipient: '+4915112345678', urls: ['https://shop.example/p'] }],
	);
	await server.api('POST', `/api/v1/campaigns/${campaignId}/messages`, {
		messages: [
			{
				recipient: '+4915112345678',
				status: 'sent',
				provider: 'seven',
				providerMessageId: `m-${campaignId}`,
				metadata: { contactId: 'c-1' },
			},
		],
	});
	await server.api('POST', '/api/v1/webhooks', {
		url: 'https://n8n.example/webhook/x',
		events: ['click'],
		campaignId,
	});
	// One click through the redirect (cached link, stored event) and one event still queued for the stats.
	expect((await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid })).status).toBe(302);
	await waitFor(() => rowsOf(campaignId), {
		what: 'the click to be stored',
		until: (c) => c.events === 1,
	});
	await storeEvents(server, [
		{ type: 'view', campaignId, code: codes[0], recipient: '+4915112345678' },
	]);
	return { campaignId, codes };
}

test('when a campaign is deleted with confirm=true, then its links, messages, events, stats and subscriptions are gone and its short links go to the server fallback', async () => {
	const { campaignId, codes } = await campaignWithData();
	const before = await rowsOf(campaignId);
	expect(before).toMatchObject({
		links: 1,
		messages: 1,
		events: 2,
		recipient_metadata: 1,
		webhook_subscriptions: 1,
	});

	const res = await server.api('DELETE', `/api/v1/campaigns/${campaignId}?confirm=true`);
	expect(res.status).toBe(200);
	expect(res.body).toEqual({ deleted: true, id: campaignId, links: 1, messages: 1, events: 2 });

	expect(await rowsOf(campaignId)).toEqual(Object.fromEntries(tables.map((t) => [t, 0])));
	expect((await server.api('GET', `/api/v1/campaigns/${campaignId}`)).status).toBe(404);
	const after = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
	expect(after.status).toBe(302);
	expect(after.location).toBe(serverFallback);
});

test.each([
	['without confirm', ''],
	['with confirm=false', '?confirm=false'],
	['with confirm=yes', '?confirm=yes'],
])(
	'when a delete comes %s, then 400 confirmation_required and nothing is deleted',
	async (_case, query) => {
		const { campaignId } = await campaignWithData();
		// The background folder writes the rollups (the stats queue, traits) at its own pace: once it
		// has drained this campaign's queue, every table holds still and is compared.
		await waitFor(async () => (await rowsOf(campaignId)).stats_pending, {
			what: "the campaign's stats queue drained by the background folder",
			until: (queued) => queued === 0,
		});
		const kept = () => rowsOf(campaignId);
		const before = await kept();
		const res = await server.api('DELETE', `/api/v1/campaigns/${campaignId}${query}`);
		expect(res.status).toBe(400);
		expect(res.body.error.code).toBe('confirmation_required');
		expect(res.body.error.message).toMatch(/confirm=true/);
		expect(await kept()).toEqual(before);
		expect((await server.api('GET', `/api/v1/campaigns/${campaignId}`)).status).toBe(200);
	},
);

test('when an unknown campaign is deleted, then 404 campaign_not_found', async () => {
	const res = await server.api('DELETE', '/api/v1/campaigns/cmp_doesnotexist?confirm=true');
	expect(res.status).toBe(404);
	expect(res.body.error.code).toBe('campaign_not_found');
});
