import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ STORE_RAW_IP: 'true', TRUST_PROXY: 'loopback' });
});
afterAll(() => server.close());

test('when a trusted proxy forwards a value that is not an IP address, then the click is stored with the proxy address, not the text', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/'] },
		{ recipient: '+4915112345679', urls: ['https://shop.example/'] },
	]);
	const [forged, real] = await Promise.all([
		hit(`${server.url}/${codes[0]}`, {
			userAgent: chromeOnAndroid,
			headers: { 'x-forwarded-for': "1.2.3.4'); DROP TABLE events; --" },
		}),
		hit(`${server.url}/${codes[1]}`, {
			userAgent: chromeOnAndroid,
			headers: { 'x-forwarded-for': '2001:db8::7' },
		}),
	]);
	expect([forged.status, real.status]).toEqual([302, 302]);
	const rows = await server.sql(
		`SELECT recipient, host(ip) AS ip, ip_hash IS NOT NULL AS hashed FROM events WHERE campaign_id = $1 ORDER BY recipient`,
		[campaignId],
	);
	expect(rows).toEqual([
		{ recipient: '+4915112345678', ip: '127.0.0.1', hashed: true },
		{ recipient: '+4915112345679', ip: '2001:db8::7', hashed: true },
	]);
});
