import type { Queryable } from '../../../server/src/db';
import { createLinkCache } from '../../../server/src/redirect/link-cache';
import { startTestServer, type TestServer } from '../../support/server';
import { createCampaignWithLinks } from '../../support/short-links';
import { waitFor } from '../../support/wait';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

/** Counts the statements the cache sends, on the real database. */
function countingDb() {
	const counter = { queries: 0 };
	const db: Queryable = {
		query: (text, values, name) => {
			counter.queries++;
			return server.db.query(text, values, name);
		},
	};
	return { db, counter };
}

test('when a code is asked for again, then it comes from memory; after the TTL it is served as it was and refreshed in the background', async () => {
	const { codes } = await createCampaignWithLinks(
		server,
		{ utm: { source: 'sms' }, fallbackUrl: 'https://shop.example/over' },
		[{ recipient: '+4915112345678', urls: ['https://shop.example/a'] }],
	);
	let now = 1_000_000;
	const { db, counter } = countingDb();
	const cache = createLinkCache(db, { size: 10, ttlMs: 60_000, now: () => now });

	const first = await cache.get(codes[0]);
	expect(first).toMatchObject({
		code: codes[0],
		recipient: '+4915112345678',
		destination: 'https://shop.example/a',
		target: 'https://shop.example/a?utm_source=sms',
		expiresAt: null,
		conversionTracking: false,
		fallbackUrl: 'https://shop.example/over',
	});
	expect(cache.get(codes[0])).toBe(first); // synchronous: no promise, no query
	expect(counter.queries).toBe(1);

	await server.sql('UPDATE links SET expires_at = $1 WHERE code = $2', [
		new Date(Date.UTC(2030, 0, 1)),
		codes[0],
	]);
	now += 60_000;
	expect(cache.get(codes[0])).toBe(first); // stale, answered at once…
	const refreshed = await waitFor(() => cache.get(codes[0]), {
		what: 'the background refresh to replace the stale entry',
		until: (entry) => entry !== first,
	});
	expect(counter.queries).toBe(2); // …and re-read behind the scenes, once
	expect((refreshed as { expiresAt: number }).expiresAt).toBe(Date.UTC(2030, 0, 1));
});

test('when a code is unknown, then the answer is remembered briefly, so a scanner cannot hammer the database', async () => {
	let now = 1_000_000;
	const { db, counter } = countingDb();
	const cache = createLinkCache(db, { size: 10, ttlMs: 60_000, now: () => now });
	expect(await cache.get('Unkn0wn1')).toBeNull();
	expect(cache.get('Unkn0wn1')).toBeNull();
	expect(counter.queries).toBe(1);
	now += 5_000;
	expect(await cache.get('Unkn0wn1')).toBeNull();
	expect(counter.queries).toBe(2);
});

test('when many requests ask for the same uncached code at once, then one query serves them all', async () => {
	const { codes } = await createCampaignWithLinks(server, {}, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/b'] },
	]);
	const { db, counter } = countingDb();
	const cache = createLinkCache(db, { size: 10, ttlMs: 60_000 });
	const results = await Promise.all(Array.from({ length: 20 }, () => cache.get(codes[0])));
	expect(new Set(results).size).toBe(1);
	expect(counter.queries).toBe(1);
});

test('when more codes are used than the cache holds, then the least recently used is forgotten', async () => {
	const { codes } = await createCampaignWithLinks(
		server,
		{},
		['+4915112340001', '+4915112340002', '+4915112340003'].map((recipient) => ({
			recipient,
			urls: ['https://shop.example/c'],
		})),
	);
	const { db, counter } = countingDb();
	const cache = createLinkCache(db, { size: 2, ttlMs: 60_000 });
	await cache.get(codes[0]);
	await cache.get(codes[1]);
	cache.get(codes[0]); // codes[1] is now the least recently used
	await cache.get(codes[2]);
	expect(counter.queries).toBe(3);
	expect(cache.get(codes[0])).not.toBeInstanceOf(Promise);
	const reloaded = cache.get(codes[1]);
	expect(reloaded).toBeInstanceOf(Promise);
	expect(await reloaded).toMatchObject({ code: codes[1] });
});

test('when the cache is cleared while a code is being read, then that read is not kept and the next request reads afresh', async () => {
	const { codes } = await createCampaignWithLinks(server, {}, [
		{ recipient: '+4915112345679', urls: ['https://shop.example/d'] },
	]);
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	let queries = 0;
	const db: Queryable = {
		query: async (text, values, name) => {
			queries++;
			const answer = await server.db.query(text, values, name);
			if (queries === 1) await held; // the first read answers only after the change below
			return answer;
		},
	};
	const cache = createLinkCache(db, { size: 10, ttlMs: 60_000 });
	const before = cache.get(codes[0]);
	await waitFor(() => queries === 1, { what: 'the first read to be under way' });
	await server.sql('UPDATE links SET expires_at = $1 WHERE code = $2', [new Date(Date.UTC(2031, 0, 1)), codes[0]]);
	cache.clear();
	const after = cache.get(codes[0]);
	expect(after).toBeInstanceOf(Promise); // not joined to the read that began before
	expect(await after).toMatchObject({ expiresAt: Date.UTC(2031, 0, 1) });
	release();
	expect(await before).toMatchObject({ expiresAt: null });
	expect(cache.get(codes[0])).toMatchObject({ expiresAt: Date.UTC(2031, 0, 1) });
	expect(queries).toBe(2);
});
