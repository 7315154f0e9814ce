import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phoneUserAgent } from '../support/browser';
import { request, startTestServer, type TestServer } from '../support/server';
import { createCampaignWithLinks, hit } from '../support/short-links';
import { spawnServer } from '../support/spawn-server';
import { userAgents } from '../support/user-agents';

const artifacts = path.resolve(__dirname, '../../test-artifacts');

let server: TestServer;
let browser: Browser;
let campaignId: string;
let codes: string[];
beforeAll(async () => {
	server = await startTestServer({ COUNTRY_HEADER: 'cf-ipcountry' });
	({ campaignId, codes } = await createCampaignWithLinks(
		server,
		{ name: 'Spring sale', conversionTracking: true, currency: 'EUR' },
		[
			{ recipient: '+4915112345667', urls: ['https://shop.example/spring'] },
			{ recipient: '+4917099887711', urls: ['https://shop.example/spring'] },
			{ recipient: '+4916012121299', urls: ['https://shop.example/spring'] },
		],
	));
	browser = await launchBrowser();
	mkdirSync(artifacts, { recursive: true });
}, 120_000);
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

/** A recipient's tap on their link, over HTTP through the real redirect; returns the click id. */
async function tap(code: string, country: string): Promise<string> {
	const res = await hit(`${server.url}/${code}`, {
		userAgent: phoneUserAgent,
		headers: { 'cf-ipcountry': country },
	});
	expect(res.status).toBe(302);
	return new URL(res.location!).searchParams.get('sms_cid')!;
}

/** Opens the campaign page signed in; records requested URLs and every console error. */
async function openCampaign(viewport: { width: number; height: number }) {
	const context = await browser.newContext({
		viewport,
		locale: 'en-US',
		timezoneId: 'Europe/Berlin',
	});
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	const requested: string[] = [];
	const problems: string[] = [];
	page.on('request', (req) => requested.push(req.url()));
	page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
	page.on('pageerror', (err) => problems.push(err.message));
	await page.goto(`${server.url}/dashboard/#/campaigns/${campaignId}`);
	await page.fill('#api-key', server.apiKey);
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('body[data-ready="true"] #kpis .kpi');
	await page.waitForSelector('#live-status[data-state="live"]');
	return { context, page, requested, problems };
}

const tile = (page: Page, metric: string) =>
	page.locator(`[data-metric="${metric}"]`).getAttribute('data-value');
const feedRows = (page: Page) =>
	page.locator('#live-feed li').evaluateAll((rows) =>
		rows.map((li) => ({
			type: li.getAttribute('data-type'),
			recipient: li.querySelector('[data-field="recipient"]')?.textContent,
			device: li.querySelector('[data-field="device"]')?.textContent,
			country: li.querySelector('[data-field="country"]')?.textContent,
			link: li.querySelector('[data-field="link"]')?.textContent,
		})),
	);

test('when recipients click, preview and convert while the campaign page is open, then its feed and tiles update without a reload', async () => {
	const { context, page, requested, problems } = await openCampaign({ width: 1280, height: 900 });
	expect(await tile(page, 'clicks')).toBe('0');
	expect(await page.locator('#live-feed li').count()).toBe(0);
	await page.evaluate(() => ((window as any).sameDocument = true));

	const clickId = await tap(codes[0], 'DE');
	await page.waitForSelector('#live-feed li[data-type="click"]');
	expect(await feedRows(page)).toEqual([
		{
			type: 'click',
			recipient: '+49 151 •••• 67',
			device: 'mobile · Android',
			country: 'DE',
			link: 'https://shop.example/spring',
		},
	]);
	await page.waitForSelector('[data-metric="clicks"][data-value="1"]');

	await hit(`${server.url}/${codes[1]}`, { userAgent: userAgents.whatsAppAndroid });
	await tap(codes[2], 'AT');
	const conversion = await server.api('POST', '/api/v1/conversions', {
		clickId,
		name: 'purchase',
		value: 49.9,
	});
	expect(conversion.status).toBe(201);

	await page.waitForFunction(() => document.querySelectorAll('#live-feed li').length === 4);
	const rows = await feedRows(page);
	expect(rows.map((r) => [r.type, r.recipient])).toEqual([
		['conversion', '+49 151 •••• 67'],
		['click', '+49 160 •••• 99'],
		['view', '+49 170 •••• 11'],
		['click', '+49 151 •••• 67'],
	]);
	expect(
		await page
			.locator('#live-feed li[data-type="conversion"] [data-field="conversion"]')
			.innerText(),
	).toBe('purchase · €49.90');
	await page.waitForSelector('[data-metric="clicks"][data-value="2"]');
	await page.waitForSelector('[data-metric="views"][data-value="1"]');
	await page.waitForSelector('[data-metric="conversions"][data-value="1"]');
	await page.waitForSelector('[data-metric="revenue"][data-value="49.9"]');
	expect(await page.locator('[data-metric="clicks"] .kpi-value').innerText()).toBe('2');
	expect(await page.evaluate(() => (window as any).sameDocument)).toBe(true); // never reloaded
	const stats = (await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body;
	for (const metric of ['clicks', 'views', 'conversions', 'revenue'])
		expect([metric, Number(await tile(page, metric))]).toEqual([metric, stats.totals[metric]]);

	await page.screenshot({
		path: path.join(artifacts, 'live-dashboard-desktop.png'),
		fullPage: true,
	});
	// the key went only in headers: never in a URL, and the full phone numbers never reached the page
	expect(requested.filter((url) => url.includes(server.apiKey))).toEqual([]);
	expect(await page.content()).not.toMatch(/12345667|99887711|12121299/);
	expect(problems).toEqual([]);
	await context.close();
});

test('when the campaign page is opened on a phone, then the feed starts with the latest events, takes new ones and fits the screen', async () => {
	const { context, page, problems } = await openCampaign({ width: 390, height: 844 });
	await page.waitForFunction(() => document.querySelectorAll('#live-feed li').length >= 4);
	const before = await page.locator('#live-feed li').count();
	const clicks = Number(await tile(page, 'clicks'));

	await tap(codes[1], 'FR');
	await page.waitForFunction(
		(n) => document.querySelectorAll('#live-feed li').length === n + 1,
		before,
	);
	expect((await feedRows(page))[0]).toMatchObject({
		type: 'click',
		recipient: '+49 170 •••• 11',
		country: 'FR',
	});
	await page.waitForSelector(`[data-metric="clicks"][data-value="${clicks + 1}"]`);

	const widths = await page.evaluate(() => ({
		page: document.documentElement.scrollWidth,
		viewport: window.innerWidth,
	}));
	expect(widths.page).toBeLessThanOrEqual(widths.viewport);
	await page.screenshot({ path: path.join(artifacts, 'live-dashboard-phone.png'), fullPage: true });
	await page
		.locator('#live-card')
		.screenshot({ path: path.join(artifacts, 'live-dashboard-phone-feed.png') });
	expect(problems).toEqual([]);
	await context.close();
});

test('when the built server (minified assets) runs on the embedded database, then a click still appears in the open page’s feed', async () => {
	const built = await spawnServer({
		API_KEY: server.apiKey,
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'live-embedded-')),
		CLICK_COMMIT_TIMEOUT_MS: '20000',
	});
	try {
		const auth = { authorization: `Bearer ${server.apiKey}` };
		const campaign = await request(
			`${built.url}/api/v1/campaigns`,
			'POST',
			{ name: 'Embedded' },
			auth,
		);
		const links = await request(
			`${built.url}/api/v1/campaigns/${campaign.body.id}/links`,
			'POST',
			{ recipients: [{ recipient: '+4915155500042', urls: ['https://shop.example/embedded'] }] },
			auth,
		);
		const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
		const page = await context.newPage();
		page.setDefaultTimeout(20_000);
		const problems: string[] = [];
		page.on('pageerror', (err) => problems.push(err.message));
		await page.goto(`${built.url}/dashboard/#/campaigns/${campaign.body.id}`);
		await page.fill('#api-key', server.apiKey);
		await page.click('#login-form button[type=submit]');
		await page.waitForSelector('#live-status[data-state="live"]');

		const res = await hit(links.body.links[0].shortUrl, { userAgent: phoneUserAgent });
		expect(res.status).toBe(302);
		await page.waitForSelector('#live-feed li[data-type="click"]');
		expect(await page.locator('#live-feed [data-field="recipient"]').innerText()).toBe(
			'+49 151 •••• 42',
		);
		await page.waitForSelector('[data-metric="clicks"][data-value="1"]');
		expect(problems).toEqual([]);
		await context.close();
	} finally {
		await built.stop();
	}
});

test('when the server restarts while the page is open, then the page reconnects by itself and resumes after the last event it saw', async () => {
	const first = await startTestServer();
	const {
		campaignId: id,
		codes: [code],
	} = await createCampaignWithLinks(first, { name: 'Restart' }, [
		{ recipient: '+4915177700001', urls: ['https://shop.example/restart'] },
	]);
	const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
	const page = await context.newPage();
	page.setDefaultTimeout(20_000);
	const problems: string[] = [];
	page.on('pageerror', (err) => problems.push(err.message));
	await page.goto(`${first.url}/dashboard/#/campaigns/${id}`);
	await page.fill('#api-key', first.apiKey);
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#live-status[data-state="live"]');
	await hit(`${first.url}/${code}`, { userAgent: phoneUserAgent });
	await page.waitForSelector('#live-feed li[data-type="click"]');
	await page.evaluate(() => ((window as any).sameDocument = true));

	await first.close();
	await page.waitForSelector('#live-status[data-state="reconnecting"]');
	const second = await startTestServer({
		DATABASE_URL: first.databaseUrl,
		PORT: String(first.port),
	});
	try {
		await hit(`${second.url}/${code}`, { userAgent: phoneUserAgent });
		await page.waitForSelector('#live-status[data-state="live"]');
		await page.waitForFunction(() => document.querySelectorAll('#live-feed li').length === 2);
		await page.waitForSelector('[data-metric="clicks"][data-value="2"]');
		await hit(`${second.url}/${code}`, { userAgent: phoneUserAgent });
		await page.waitForFunction(() => document.querySelectorAll('#live-feed li').length === 3);
		expect(await page.evaluate(() => (window as any).sameDocument)).toBe(true);
		expect(problems).toEqual([]);
	} finally {
		await context.close();
		await second.close();
	}
});
