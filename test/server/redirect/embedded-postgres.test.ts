import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request, testApiKey } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { spawnServer, type SpawnedServer } from '../../support/spawn-server';
import { waitFor } from '../../support/wait';

// The newcomer's default: no DATABASE_URL, the embedded PostgreSQL (PGlite) takes the group commits.
// PGlite loads as an ES module, so the built server runs in its own process.
let server: SpawnedServer;
beforeAll(async () => {
	server = await spawnServer({
		API_KEY: testApiKey,
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sms-redirect-embedded-')),
		LOG_LEVEL: 'warn',
	});
}, 60_000);
afterAll(() => server?.stop());

test('when clicks arrive at once on the embedded database, then each is answered and stored once', async () => {
	const api = {
		api: (method: string, p: string, body?: unknown) =>
			request(`${server.url}${p}`, method, body, { authorization: `Bearer ${testApiKey}` }),
	};
	const recipients = Array.from({ length: 5 }, (_, i) => ({
		recipient: `+491514000000${i}`,
		urls: ['https://shop.example/embedded'],
	}));
	const { campaignId, codes } = await createCampaignWithLinks(
		api,
		{ conversionTracking: true },
		recipients,
	);
	const results = await Promise.all(
		Array.from({ length: 60 }, (_, i) =>
			hit(`${server.url}/${codes[i % codes.length]}`, { userAgent: chromeOnAndroid }),
		),
	);
	expect(results.every((r) => r.status === 302)).toBe(true);
	const answered = results.map((r) => new URL(r.location!).searchParams.get('sms_cid'));
	// Answered once in the journal; the loader stores them moments later.
	const listed = await waitFor(
		() => api.api('GET', `/api/v1/campaigns/${campaignId}/events?type=click&limit=1000`),
		{ what: 'the 60 clicks to be loaded', until: (r) => r.body.events.length >= 60 },
	);
	expect(listed.body.events).toHaveLength(60);
	expect(new Set(listed.body.events.map((e: any) => e.clickId))).toEqual(new Set(answered));
}, 30_000);
