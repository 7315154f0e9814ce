import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function start(env: Record<string, string>): Promise<TestServer> {
	const server = await startTestServer(env);
	servers.push(server);
	return server;
}

const past = () => new Date(Date.now() - 60_000).toISOString();

describe('fallback order for unknown and expired codes', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await start({ FALLBACK_URL: 'https://shop.example/global' });
	});

	test('when an expired link belongs to a campaign with a fallback, then the campaign fallback wins over FALLBACK_URL', async () => {
		const { codes } = await createCampaignWithLinks(
			server,
			{ fallbackUrl: 'https://shop.example/campaign' },
			[{ recipient: '+4915112345678', urls: ['https://shop.example/x'] }],
		);
		await server.sql('UPDATE links SET expires_at = $1 WHERE code = $2', [past(), codes[0]]);
		const res = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
		expect([res.status, res.location, res.headers.get('cache-control')]).toEqual([
			302,
			'https://shop.example/campaign',
			'private, no-store',
		]);
	});

	test('when an expired link belongs to a campaign without a fallback, then FALLBACK_URL is used', async () => {
		const { campaignId, codes } = await createCampaignWithLinks(
			server,
			{},
			[{ recipient: '+4915112345678', urls: ['https://shop.example/x'] }],
			past(),
		);
		const res = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
		expect([res.status, res.location]).toEqual([302, 'https://shop.example/global']);
		expect(await server.sql('SELECT * FROM events WHERE campaign_id = $1', [campaignId])).toEqual(
			[],
		);
	});

	test('when a code is unknown, then FALLBACK_URL is used (a stranger never learns which campaign a code was)', async () => {
		const res = await hit(`${server.url}/Qq1Qq1Qq`, { userAgent: chromeOnAndroid });
		expect([res.status, res.location]).toEqual([302, 'https://shop.example/global']);
	});

	test('when an expired link has neither fallback, then the 404 page answers', async () => {
		const bare = await start({});
		const { codes } = await createCampaignWithLinks(
			bare,
			{},
			[{ recipient: '+4915112345678', urls: ['https://shop.example/x'] }],
			past(),
		);
		const res = await hit(`${bare.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
		expect(res.status).toBe(404);
		expect(res.body).toContain('Link not found');
	});
});

describe('cookie, privacy and proxy settings', () => {
	test('when the public URL is https with CLICK_COOKIE_DAYS and COOKIE_DOMAIN, then the click cookie is Secure, lives that long and names the domain', async () => {
		const server = await start({
			PUBLIC_BASE_URL: 'https://go.shop.example',
			CLICK_COOKIE_DAYS: '7',
			COOKIE_DOMAIN: 'shop.example',
		});
		const { codes } = await createCampaignWithLinks(server, { conversionTracking: true }, [
			{ recipient: '+4915112345678', urls: ['https://shop.example/'] },
		]);
		const res = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
		const clickId = new URL(res.location!).searchParams.get('sms_cid');
		expect(res.headers.get('set-cookie')).toBe(
			`sms_cid=${clickId}; Max-Age=604800; Path=/; SameSite=Lax; HttpOnly; Secure; Domain=shop.example`,
		);
	});

	test('when STORE_RAW_IP is on and the proxy is trusted, then the forwarded client IP is stored beside its hash', async () => {
		const server = await start({
			STORE_RAW_IP: 'true',
			TRUST_PROXY: 'loopback',
			IP_HASH_SALT: 'a-fixed-salt-shared-by-instances',
		});
		const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
			{ recipient: '+4915112345678', urls: ['https://shop.example/'] },
		]);
		await hit(`${server.url}/${codes[0]}`, {
			userAgent: chromeOnAndroid,
			headers: { 'x-forwarded-for': '203.0.113.9' },
		});
		const [row] = await server.sql(
			'SELECT host(ip) AS ip, ip_hash FROM events WHERE campaign_id = $1',
			[campaignId],
		);
		expect(row.ip).toBe('203.0.113.9');
		// The same salt on another instance gives the same hash, so unique visitors compare across instances.
		const other = await start({
			IP_HASH_SALT: 'a-fixed-salt-shared-by-instances',
			TRUST_PROXY: 'loopback',
			DATABASE_URL: server.databaseUrl,
		});
		await hit(`${other.url}/${codes[0]}`, {
			userAgent: chromeOnAndroid,
			headers: { 'x-forwarded-for': '203.0.113.9' },
		});
		const rows = await server.sql(
			'SELECT host(ip) AS ip, ip_hash FROM events WHERE campaign_id = $1 ORDER BY id',
			[campaignId],
		);
		expect(rows).toEqual([row, { ip: null, ip_hash: row.ip_hash }]);
	});

	test('when the country header is not configured, then a client-sent country header is ignored', async () => {
		const server = await start({});
		const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
			{ recipient: '+4915112345678', urls: ['https://shop.example/'] },
		]);
		await hit(`${server.url}/${codes[0]}`, {
			userAgent: chromeOnAndroid,
			headers: { 'cf-ipcountry': 'DE' },
		});
		expect(
			await server.sql('SELECT country FROM events WHERE campaign_id = $1', [campaignId]),
		).toEqual([{ country: null }]);
	});

	test('when DO_NOT_TRACK=anonymous and the browser sends DNT or Sec-GPC, then the click counts but nothing identifies the person or the device and no click id is handed out', async () => {
		const server = await start({ DO_NOT_TRACK: 'anonymous', COUNTRY_HEADER: 'cf-ipcountry' });
		const { campaignId, codes } = await createCampaignWithLinks(
			server,
			{ conversionTracking: true },
			[{ recipient: '+4915112345678', urls: ['https://shop.example/'] }],
		);
		for (const headers of [{ dnt: '1' }, { 'sec-gpc': '1' }] as Array<Record<string, string>>) {
			const res = await hit(`${server.url}/${codes[0]}`, {
				userAgent: chromeOnAndroid,
				headers: { ...headers, 'cf-ipcountry': 'DE' },
			});
			expect([res.status, res.location, res.headers.get('set-cookie')]).toEqual([
				302,
				'https://shop.example/',
				null,
			]);
		}
		const rows = await server.sql(
			'SELECT type, recipient, code, click_id, user_agent, ip_hash, country, device_type, os, browser FROM events WHERE campaign_id = $1',
			[campaignId],
		);
		const anonymousClick = {
			type: 'click',
			recipient: null,
			code: null,
			click_id: null,
			user_agent: null,
			ip_hash: null,
			country: null,
			device_type: null,
			os: null,
			browser: null,
		};
		expect(rows).toEqual([anonymousClick, anonymousClick]);
	});

	test('when DO_NOT_TRACK=skip and the browser sends DNT, then it is redirected and nothing is stored', async () => {
		const server = await start({ DO_NOT_TRACK: 'skip' });
		const { campaignId, codes } = await createCampaignWithLinks(
			server,
			{ conversionTracking: true },
			[{ recipient: '+4915112345678', urls: ['https://shop.example/'] }],
		);
		const res = await hit(`${server.url}/${codes[0]}`, {
			userAgent: chromeOnAndroid,
			headers: { dnt: '1' },
		});
		expect([res.status, res.location]).toEqual([302, 'https://shop.example/']);
		const tracked = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
		expect(tracked.location).toContain('sms_cid=');
		expect(
			await server.sql('SELECT type FROM events WHERE campaign_id = $1', [campaignId]),
		).toEqual([{ type: 'click' }]);
	});
});
