import { closeAfterAll } from '../../support/close-after-all';
import { startTestServer, type TestServer } from '../../support/server';
import { createCampaignWithLinks, hit } from '../../support/short-links';
import { waitFor } from '../../support/wait';

// Two instances on one database, each keeping codes in memory for an hour: a change made through
// one holds on the other within a second (migration 030), not when the other's cache expires.
const track = closeAfterAll();
const cachedForAnHour = { LINK_CACHE_TTL_SECONDS: '3600', FALLBACK_URL: 'https://fallback.example/' };
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
	a = await track(startTestServer(cachedForAnHour));
	b = await track(startTestServer({ ...cachedForAnHour, DATABASE_URL: a.databaseUrl }));
});

/** Where instance `server` sends a code now. */
const target = async (server: TestServer, code: string) => (await hit(`${server.url}/${code}`)).location;

/** Proves that `server` answers `code` from memory: a change behind the cache's back does not show. */
async function expectCached(server: TestServer, code: string, location: string) {
	await a.sql("UPDATE links SET destination = 'https://elsewhere.example/' WHERE code = $1", [code]);
	expect(await target(server, code)).toBe(location);
	await a.sql('UPDATE links SET destination = $2 WHERE code = $1', [code, location]);
}

test("when a person is erased through one instance, then the other stops redirecting their codes within a second, not after its cache's TTL", async () => {
	const phone = '+4915112340077';
	const { codes } = await createCampaignWithLinks(a, {}, [{ recipient: phone, urls: ['https://shop.example/erase-me'] }]);
	expect(await target(b, codes[0])).toBe('https://shop.example/erase-me');
	await expectCached(b, codes[0], 'https://shop.example/erase-me');

	const erased = await a.api('DELETE', `/api/v1/recipients/${encodeURIComponent(phone)}`);
	expect(erased.status).toBe(200);
	expect(await target(a, codes[0])).toBe('https://fallback.example/'); // the instance that erased, at once
	await waitFor(() => target(b, codes[0]), {
		what: 'the other instance to forget the erased code',
		until: (location) => location === 'https://fallback.example/',
		timeoutMs: 10_000,
	});
});

test('when a campaign is updated through one instance, then the other redirects with its new UTM parameters within a second', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(a, {}, [
		{ recipient: '+4915112340078', urls: ['https://shop.example/utm'] },
	]);
	expect(await target(b, codes[0])).toBe('https://shop.example/utm');
	await expectCached(b, codes[0], 'https://shop.example/utm');

	const updated = await a.api('PATCH', `/api/v1/campaigns/${campaignId}`, { utm: { source: 'sms', campaign: 'winter' } });
	expect(updated.status).toBe(200);
	await waitFor(() => target(b, codes[0]), {
		what: 'the other instance to redirect with the UTM parameters',
		until: (location) => location === 'https://shop.example/utm?utm_source=sms&utm_campaign=winter',
		timeoutMs: 10_000,
	});
});

test('when links are created again with an expiry that has passed through one instance, then the other stops redirecting them within a second', async () => {
	const recipients = [{ recipient: '+4915112340079', urls: ['https://shop.example/expiring'] }];
	const { campaignId, codes } = await createCampaignWithLinks(a, {}, recipients, '2030-01-01T00:00:00Z');
	expect(await target(b, codes[0])).toBe('https://shop.example/expiring');
	await expectCached(b, codes[0], 'https://shop.example/expiring');

	const passed = new Date(Date.now() - 60_000).toISOString();
	const again = await a.api('POST', `/api/v1/campaigns/${campaignId}/links`, { recipients, expiresAt: passed });
	expect(again.status).toBe(200);
	expect(again.body.links[0].code).toBe(codes[0]);
	await waitFor(() => target(b, codes[0]), {
		what: 'the other instance to treat the code as expired',
		until: (location) => location === 'https://fallback.example/',
		timeoutMs: 10_000,
	});
});
