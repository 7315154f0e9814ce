import { createHmac } from 'node:crypto';
import { createLogger } from '../../../server/src/log';
import { createSaltKeeper } from '../../../server/src/privacy/ip-hash-salts';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

const day = 86_400_000;
const log = createLogger('silent');

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ TRUST_PROXY: 'loopback', IP_HASH_SALT_ROTATION_DAYS: '7' });
});
afterAll(() => server.close());

/** A keeper on the test server's database with a clock the test moves. */
function keeperAt(clock: { t: number }) {
	return createSaltKeeper(server.db, {
		rotationDays: 7,
		fallbackSalt: 'fixed-fallback-salt-0123456789',
		log,
		now: () => clock.t,
		checkEveryMs: 60_000,
	});
}
const storedPeriods = async () =>
	(await server.sql<{ period: string }>('SELECT period FROM ip_hash_salts ORDER BY period')).map(
		(r) => Number(r.period),
	);

test('when a click is stored, then its IP hash is the HMAC of its /24 network with the current period salt', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/'] },
	]);
	await hit(`${server.url}/${codes[0]}`, {
		userAgent: chromeOnAndroid,
		headers: { 'x-forwarded-for': '203.0.113.9' },
	});
	await hit(`${server.url}/${codes[0]}`, {
		userAgent: chromeOnAndroid,
		headers: { 'x-forwarded-for': '203.0.113.77' },
	});
	const rows = await waitFor(
		() =>
			server.sql<{ ip_hash: string }>('SELECT ip_hash FROM events WHERE campaign_id = $1', [
				campaignId,
			]),
		{ what: 'both clicks stored', until: (r) => r.length === 2 },
	);
	const period = Math.floor(Date.now() / (7 * day));
	const [{ salt }] = await server.sql<{ salt: string }>(
		'SELECT salt FROM ip_hash_salts WHERE period = $1',
		[period],
	);
	const expected = createHmac('sha256', salt)
		.update('203.0.113.0/24')
		.digest('base64url')
		.slice(0, 32);
	expect(rows.map((r) => r.ip_hash)).toEqual([expected, expected]);
});

// Runs last: its clock is years ahead, so the salts it deletes include the server's current one.
test('when two instances need the salt of a period, then they share one, and once the next period begins the old salt is gone', async () => {
	const base = Math.floor(Date.parse('2031-03-01T00:00:00Z') / (7 * day)) * 7 * day;
	const clock = { t: base + day };
	const one = keeperAt(clock);
	const two = keeperAt(clock);
	await one.start();
	await two.start();
	try {
		expect(one.current()).toBe(two.current());
		const first = one.current();
		expect(first).not.toBe('fixed-fallback-salt-0123456789');

		// a minute before the boundary both prepare the next salt; after it, both use it
		clock.t = base + 7 * day - 60_000;
		await one.refresh();
		await two.refresh();
		clock.t = base + 7 * day + 1;
		expect(one.current()).toBe(two.current());
		expect(one.current()).not.toBe(first);

		await one.refresh(); // in the new period
		expect(await storedPeriods()).not.toContain(Math.floor((base + day) / (7 * day)));
	} finally {
		one.stop();
		two.stop();
	}
});
