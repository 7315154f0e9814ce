import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPhoneContext } from '../support/browser';
import { campaignWithLink, conversionsOf } from '../support/conversions';
import { startTestServer, type TestServer } from '../support/server';
import { serveSite, type StaticSite } from '../support/static-site';
import { waitFor } from '../support/wait';

let browser: Browser;
beforeAll(async () => {
	// Test the script as it ships: minified by the build (the server prefers a fresh build).
	await require('../../gulpfile.js').conversionScript();
	browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Waits until the campaign has `count` conversions (beacons are fire-and-forget). */
const conversionsStored = (server: TestServer, campaignId: string, count: number): Promise<any[]> =>
	waitFor(() => conversionsOf(server, campaignId), {
		what: `${count} conversion(s) in campaign ${campaignId}`,
		until: (rows) => rows.length >= count,
		timeoutMs: 10_000,
	});

/**
 * Clicks a button that fires a beacon and returns the status the tracking server answered it
 * with (201 stored, 200 duplicate; the browser does not expose a beacon's response body).
 */
async function fireBeacon(page: Page, selector: string): Promise<number> {
	const answered = page.waitForResponse((res) => new URL(res.url()).pathname === '/collect', { timeout: 10_000 });
	await page.click(selector);
	return (await answered).status();
}

describe('t.js on a landing page', () => {
	let site: StaticSite;
	let server: TestServer;
	beforeAll(async () => {
		const tracking = { url: '' };
		site = await serveSite({
			'/landing': () => `<!doctype html><html><head>
				<script src="${tracking.url}/t.js" async></script>
				<script>window.smsTracking=window.smsTracking||{q:[],conversion:function(c){this.q.push(c)}};</script>
				</head><body>
				<button id="signup" onclick="smsTracking.conversion({name:'signup', value: 9.9, currency:'EUR', idempotencyKey:'signup-1'})">Sign up</button>
				</body></html>`,
			'/thanks': () => `<!doctype html><html><head><script src="${tracking.url}/t.js"></script></head><body>
				<button id="purchase" onclick="smsTracking.conversion({name:'purchase', value: '24.50', currency:'EUR', idempotencyKey:'order-77'})">Pay</button>
				</body></html>`,
		});
		server = await startTestServer({ ALLOWED_ORIGINS: site.url });
		tracking.url = server.url;
	});
	afterAll(async () => {
		await server?.close();
		await site?.close();
	});

	test('when a recipient opens the short link and signs up, then the conversion is stored once with the campaign, recipient and link', async () => {
		const link = await campaignWithLink(server, { recipient: '+4915199999001', url: `${site.url}/landing?ref=sms` });
		const context = await newPhoneContext(browser);
		try {
			const page = await context.newPage();
			const script = await (await fetch(`${server.url}/t.js`)).text();
			expect(script).not.toContain('/*');
			await page.goto(link.shortUrl);
			const landed = new URL(page.url());
			expect(landed.pathname).toBe('/landing');
			expect(landed.searchParams.get('ref')).toBe('sms');
			const clickId = landed.searchParams.get('sms_cid');
			expect(clickId).toMatch(/^[A-Za-z0-9]{20,}$/);
			await page.waitForFunction(() => typeof (window as any).smsTracking?.clickId === 'function');
			expect(await page.evaluate(() => (window as any).smsTracking.clickId())).toBe(clickId);

			expect(await fireBeacon(page, '#signup')).toBe(201);
			const [conversion] = await conversionsStored(server, link.campaignId, 1);
			expect(conversion).toMatchObject({
				campaign_id: link.campaignId,
				recipient: '+4915199999001',
				code: link.code,
				url: link.url,
				click_id: clickId,
				conversion_name: 'signup',
				value: 9.9,
				conversion_currency: 'EUR',
				idempotency_key: 'signup-1',
			});

			await page.reload();
			await page.waitForFunction(() => typeof (window as any).smsTracking?.clickId === 'function');
			expect(await fireBeacon(page, '#signup')).toBe(200);
			expect(await conversionsOf(server, link.campaignId)).toHaveLength(1);

			// A later page without sms_cid in its URL: the script remembered the click id.
			await page.goto(`${site.url}/thanks`);
			expect(await page.evaluate(() => (window as any).smsTracking.clickId())).toBe(clickId);
			const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('sms_cid')!));
			expect(saved.id).toBe(clickId);
			expect(saved.expires - Date.now()).toBeGreaterThan(29.9 * 86_400_000); // default lifetime: 30 days
			expect(saved.expires - Date.now()).toBeLessThan(30.1 * 86_400_000);
			expect(await fireBeacon(page, '#purchase')).toBe(201);
			const rows = await conversionsStored(server, link.campaignId, 2);
			expect(rows[1]).toMatchObject({ conversion_name: 'purchase', value: 24.5, click_id: clickId, code: link.code });
		} finally {
			await context.close();
		}
	});
});

describe('the pixel on a custom tracking domain', () => {
	test('when the confirmation page on the shop domain shows the pixel, then the sms_cid cookie alone attributes the conversion', async () => {
		// go.shop.localhost (tracking) and shop.localhost (shop) both reach 127.0.0.1; the redirect
		// sets its cookie for shop.localhost, so the pixel on the tracking host receives it.
		const tracking = { port: 0 };
		const site = await serveSite({
			'/landing': () => '<!doctype html><html><body>Welcome</body></html>',
			'/thanks': () =>
				`<!doctype html><html><body>Thanks!<img id="px" src="http://go.shop.localhost:${tracking.port}/c.gif?name=purchase&amp;value=20&amp;currency=EUR" width="1" height="1" alt=""></body></html>`,
		});
		const server = await startTestServer({ COOKIE_DOMAIN: 'shop.localhost' });
		tracking.port = server.port;
		const context = await newPhoneContext(browser);
		try {
			const link = await campaignWithLink(server, { recipient: '+4915199999002', url: `http://shop.localhost:${site.port}/landing` });
			const page = await context.newPage();
			await page.goto(`http://go.shop.localhost:${server.port}/${link.code}`);
			expect(new URL(page.url()).host).toBe(`shop.localhost:${site.port}`);
			const cookie = (await context.cookies()).find((c) => c.name === 'sms_cid');
			expect(cookie?.domain).toBe('.shop.localhost');

			// The confirmation page has no sms_cid in its URL and no script: only the cookie.
			const gif = page.waitForResponse((res) => new URL(res.url()).pathname === '/c.gif');
			await page.goto(`http://shop.localhost:${site.port}/thanks`);
			expect((await gif).headers()['content-type']).toBe('image/gif');
			const [conversion] = await conversionsStored(server, link.campaignId, 1);
			expect(conversion).toMatchObject({
				recipient: '+4915199999002',
				code: link.code,
				click_id: cookie!.value,
				conversion_name: 'purchase',
				value: 20,
				conversion_currency: 'EUR',
			});
		} finally {
			await context.close();
			await server.close();
			await site.close();
		}
	});
});
