import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { userAgents } from '../../support/user-agents';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ COUNTRY_HEADER: 'cf-ipcountry' });
});
afterAll(() => server.close());

const events = (campaignId: string) =>
	server.sql(
		`SELECT type, code, recipient, variant, url, click_id, user_agent, device_type, os, browser, country, ip_hash, host(ip) AS ip
		 FROM events WHERE campaign_id = $1 ORDER BY id`,
		[campaignId],
	);

test('when a recipient opens a known code, then it answers 302 to the destination, uncacheable, and stores one click with device details', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/sale?id=7'] },
	]);
	const res = await hit(`${server.url}/${codes[0]}`, {
		userAgent: userAgents.safariIphone,
		headers: { 'cf-ipcountry': 'de' },
	});
	expect(res.status).toBe(302);
	expect(res.location).toBe('https://shop.example/sale?id=7');
	expect(res.headers.get('cache-control')).toBe('private, no-store');
	expect(res.headers.get('set-cookie')).toBeNull();
	expect(res.body).toBe('');

	const rows = await events(campaignId);
	expect(rows).toHaveLength(1);
	expect(rows[0]).toMatchObject({
		type: 'click',
		code: codes[0],
		recipient: '+4915112345678',
		url: 'https://shop.example/sale?id=7',
		user_agent: userAgents.safariIphone,
		device_type: 'mobile',
		os: 'iOS',
		browser: 'Mobile Safari',
		country: 'DE',
		ip: null,
	});
	// Every click has an unguessable id, even without conversion tracking; the IP only as a salted hash.
	expect(rows[0].click_id).toMatch(/^[A-Za-z0-9]{22}$/);
	expect(rows[0].ip_hash).toMatch(/^[A-Za-z0-9_-]{32}$/);
	expect(rows[0].ip_hash).not.toContain('127.0.0.1');
});

test('when the campaign tags UTM, then the parameters are added without clobbering those the URL already has', async () => {
	const { codes } = await createCampaignWithLinks(
		server,
		{ utm: { source: 'sms', medium: 'text', campaign: 'black-friday' } },
		[
			{
				recipient: '+4915112345678',
				urls: [
					'https://shop.example/sale?utm_source=newsletter&q=a%20b#top',
					'https://shop.example/plain',
				],
			},
		],
	);
	const first = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
	expect(first.location).toBe(
		'https://shop.example/sale?utm_source=newsletter&q=a%20b&utm_medium=text&utm_campaign=black-friday#top',
	);
	const second = await hit(`${server.url}/${codes[1]}`, { userAgent: chromeOnAndroid });
	expect(second.location).toBe(
		'https://shop.example/plain?utm_source=sms&utm_medium=text&utm_campaign=black-friday',
	);
});

test('when the campaign tracks conversions, then the click id is appended as sms_cid and set as a first-party cookie', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ conversionTracking: true, utm: { source: 'sms' } },
		[{ recipient: '+4915112345678', urls: ['https://shop.example/sale#buy'] }],
	);
	const res = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
	expect(res.status).toBe(302);
	const match =
		/^https:\/\/shop\.example\/sale\?utm_source=sms&sms_cid=([A-Za-z0-9]{22})#buy$/.exec(
			res.location!,
		);
	expect(match).not.toBeNull();
	const clickId = match![1];
	const cookie = res.headers.get('set-cookie')!;
	expect(cookie).toContain(`sms_cid=${clickId};`);
	expect(cookie).toContain('SameSite=Lax');
	expect(cookie).toContain(`Max-Age=${30 * 86400}`);
	expect(cookie).toContain('Path=/');
	expect(cookie).not.toContain('Secure'); // the public URL here is http
	expect(cookie).not.toContain('Domain=');
	const rows = await events(campaignId);
	expect(rows.map((r) => [r.type, r.click_id])).toEqual([['click', clickId]]);

	// Each click gets its own id.
	const again = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
	expect(again.location).not.toContain(clickId);
	expect(await events(campaignId)).toHaveLength(2);
});

test('when a link-preview fetcher or a bot loads a tracked link, then it is redirected without a click id and stored as view or bot', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ conversionTracking: true },
		[{ recipient: '+4915112345678', urls: ['https://shop.example/sale'] }],
	);
	const cases: Array<[string, string, string | null, string | null, string | null, string | null]> =
		[
			['iMessage', userAgents.iMessage, 'view', null, null, 'iMessage'],
			['WhatsApp', userAgents.whatsAppAndroid, 'view', null, null, 'WhatsApp'],
			['Telegram', userAgents.telegram, 'view', null, null, 'Telegram'],
			['Slack', userAgents.slack, 'view', null, null, 'Slack'],
			['Googlebot', userAgents.googlebot, 'bot', null, null, null],
			['curl', userAgents.curl, 'bot', null, null, null],
			['Chrome on Android', userAgents.chromeAndroid, 'click', 'mobile', 'Android', 'Chrome'],
			['Safari on iPhone', userAgents.safariIphone, 'click', 'mobile', 'iOS', 'Mobile Safari'],
			['Firefox on a desktop', userAgents.firefoxDesktop, 'click', 'desktop', 'Windows', 'Firefox'],
		];
	for (const [name, ua, type] of cases) {
		const res = await hit(`${server.url}/${codes[0]}`, { userAgent: ua });
		expect([name, res.status]).toEqual([name, 302]);
		if (type === 'click')
			expect([name, res.location]).toEqual([name, expect.stringContaining('sms_cid=')]);
		else
			expect([name, res.location, res.headers.get('set-cookie')]).toEqual([
				name,
				'https://shop.example/sale',
				null,
			]);
	}
	const rows = await events(campaignId);
	expect(rows.map((r) => [r.type, r.device_type, r.os, r.browser])).toEqual(
		cases.map(([, , type, device, os, browser]) => [type, device, os, browser]),
	);
	expect(rows.filter((r) => r.click_id !== null).map((r) => r.type)).toEqual([
		'click',
		'click',
		'click',
	]);
	expect(rows.every((r) => r.code === codes[0] && r.recipient === '+4915112345678')).toBe(true);
});

test('when a HEAD request comes, then it gets the 302 headers without a body and is stored as a bot', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ conversionTracking: true },
		[{ recipient: '+4915112345678', urls: ['https://shop.example/head'] }],
	);
	const res = await hit(`${server.url}/${codes[0]}`, {
		method: 'HEAD',
		userAgent: chromeOnAndroid,
	});
	expect(res.status).toBe(302);
	expect(res.location).toBe('https://shop.example/head');
	expect(res.headers.get('cache-control')).toBe('private, no-store');
	expect(res.body).toBe('');
	expect((await events(campaignId)).map((r) => [r.type, r.click_id])).toEqual([['bot', null]]);
});

test('when a code is unknown and no FALLBACK_URL is set, then a small 404 page answers and nothing is stored', async () => {
	const before = await server.sql('SELECT count(*)::int AS n FROM events');
	const res = await hit(`${server.url}/Zz9Zz9Zz`, { userAgent: chromeOnAndroid });
	expect(res.status).toBe(404);
	expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
	expect(res.headers.get('cache-control')).toBe('private, no-store');
	expect(res.body).toContain('Link not found');
	expect(res.location).toBeNull();
	expect(await server.sql('SELECT count(*)::int AS n FROM events')).toEqual(before);
});

test('when query parameters come with a code, then they never change where it redirects (no open redirect)', async () => {
	const { codes } = await createCampaignWithLinks(server, {}, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/safe'] },
	]);
	const res = await hit(`${server.url}/${codes[0]}?url=https://evil.example&next=//evil.example`, {
		userAgent: chromeOnAndroid,
	});
	expect(res.location).toBe('https://shop.example/safe');
	const unknown = await hit(`${server.url}/Zz9Zz9Zq?url=https://evil.example`, {
		userAgent: chromeOnAndroid,
	});
	expect(unknown.status).toBe(404);
});

test('when a link expires while it is cached, then the next hit goes to the campaign fallback and is not recorded', async () => {
	const expiresAt = new Date(Date.now() + 1500).toISOString();
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ fallbackUrl: 'https://shop.example/campaign-over' },
		[{ recipient: '+4915112345678', urls: ['https://shop.example/flash-sale'] }],
		expiresAt,
	);
	expect((await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid })).location).toBe(
		'https://shop.example/flash-sale',
	);
	await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 50));
	const res = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
	expect(res.status).toBe(302);
	expect(res.location).toBe('https://shop.example/campaign-over');
	expect(res.headers.get('cache-control')).toBe('private, no-store');
	expect(await events(campaignId)).toHaveLength(1);
});

test('when many recipients click at once, then every redirect is answered and stored once with its own click id', async () => {
	const recipients = Array.from({ length: 20 }, (_, i) => ({
		recipient: `+49151000000${String(i).padStart(2, '0')}`,
		urls: ['https://shop.example/rush'],
	}));
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ conversionTracking: true },
		recipients,
	);
	const results = await Promise.all(
		Array.from({ length: 200 }, (_, i) =>
			hit(`${server.url}/${codes[i % codes.length]}`, { userAgent: chromeOnAndroid }),
		),
	);
	const answered = results.map((r) => new URL(r.location!).searchParams.get('sms_cid'));
	expect(results.every((r) => r.status === 302)).toBe(true);
	const rows = await events(campaignId);
	expect(rows).toHaveLength(200);
	expect(new Set(rows.map((r) => r.click_id))).toEqual(new Set(answered));
});

test('when a path is reserved for the app, then it is never taken for a code even at that length', async () => {
	const app = await startTestServer({ CODE_LENGTH: '7', DATABASE_URL: server.databaseUrl });
	try {
		const res = await fetch(`${app.url}/healthz`);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ status: 'ok' });
	} finally {
		await app.close();
	}
});
