import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { spawnServer } from '../support/spawn-server';
import { storeEvents } from '../support/events';
import { seedKnownCampaign } from '../support/stats-seed';

const artifacts = path.resolve(__dirname, '../../test-artifacts');
const timeZone = 'Europe/Berlin';

let server: TestServer;
let browser: Browser;
let campaignId: string;
beforeAll(async () => {
	server = await startTestServer();
	await server.api('POST', '/api/v1/campaigns', { name: 'Newsletter (no A/B)' });
	campaignId = await seedKnownCampaign(server, 'Black Friday');
	browser = await launchBrowser();
	mkdirSync(artifacts, { recursive: true });
}, 120_000);
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

/** Opens the dashboard and records every request URL and every console error or CSP violation. */
async function openDashboard(viewport: { width: number; height: number }) {
	const context = await browser.newContext({ viewport, timezoneId: timeZone, locale: 'en-US' });
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	const requested: string[] = [];
	const problems: string[] = [];
	page.on('request', (req) => requested.push(req.url()));
	page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
	page.on('pageerror', (err) => problems.push(err.message));
	await page.goto(`${server.url}/dashboard`);
	return { context, page, requested, problems };
}

async function signIn(page: Page, key: string) {
	await page.fill('#api-key', key);
	await page.click('#login-form button[type=submit]');
}

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
const value = (page: Page, selector: string) =>
	page.locator(selector).first().getAttribute('data-value');

test('when a user signs in and opens a campaign, then the dashboard shows the numbers the API computes', async () => {
	const { context, page, requested, problems } = await openDashboard({ width: 1280, height: 900 });
	expect(page.url()).toBe(`${server.url}/dashboard/`);

	await signIn(page, 'not-the-key-at-all-0000');
	// The answer to the sign-in request arrives asynchronously: wait for the message to appear.
	await page.locator('#login-error', { hasText: /not valid/ }).waitFor({ timeout: 10_000 });

	await signIn(page, server.apiKey);
	await page.waitForSelector(`[data-campaign="${campaignId}"]`);
	expect(await page.locator('.campaign-row').count()).toBeGreaterThanOrEqual(2);
	await page.click(`[data-campaign="${campaignId}"]`);
	await page.waitForSelector('body[data-ready="true"] #kpis .kpi');
	expect(await text(page, '#campaign-name')).toBe('Black Friday');

	const stats = (
		await server.api('GET', `/api/v1/campaigns/${campaignId}/stats?timeZone=${timeZone}`)
	).body;
	const t = stats.totals;
	for (const metric of [
		'recipients',
		'sent',
		'delivered',
		'views',
		'clicks',
		'ctr',
		'conversions',
		'conversionRate',
		'revenue',
		'cost',
		'roi',
	]) {
		expect([metric, Number(await value(page, `[data-metric="${metric}"]`))]).toEqual([
			metric,
			t[metric],
		]);
	}
	expect(Number(await value(page, '[data-metric="medianSecondsToFirstClick"]'))).toBe(
		stats.medianSecondsToFirstClick,
	);
	// what people read
	expect(await text(page, '[data-metric="clicks"] .kpi-value')).toBe('6');
	expect(await text(page, '[data-metric="ctr"] .kpi-value')).toBe('66.7%');
	expect(await text(page, '[data-metric="revenue"] .kpi-value')).toBe('€74.90');
	expect(await text(page, '[data-metric="cost"] .kpi-value')).toBe('€0.50');
	expect(await text(page, '[data-metric="revenue"] .kpi-sub')).toContain('$15.00 not counted');
	expect(await text(page, '[data-metric="medianSecondsToFirstClick"] .kpi-value')).toBe('20 min');

	const funnel = await page
		.locator('#funnel li')
		.evaluateAll((items) =>
			items.map((li) => [li.getAttribute('data-step'), Number(li.getAttribute('data-value'))]),
		);
	expect(funnel).toEqual([
		['sent', t.sent],
		['delivered', t.delivered],
		['viewed', t.uniqueViewers],
		['clicked', t.uniqueClickers],
		['converted', t.uniqueConverters],
	]);

	const variantRows = await page
		.locator('#variants-table tbody tr')
		.evaluateAll((rows) =>
			rows.map((tr) => [
				tr.getAttribute('data-variant'),
				Number(tr.querySelectorAll('td')[3].getAttribute('data-value')),
			]),
		);
	expect(variantRows).toEqual(stats.variants.map((v: any) => [v.variant, v.ctr]));
	const decision = (
		await server.api('POST', `/api/v1/campaigns/${campaignId}/winner`, { metric: 'ctr' })
	).body;
	// A: 2 clickers of 4 sent, B: 1 of 2 — equal rates, so a tie, not "A leads"
	expect(decision).toMatchObject({ leader: null, tied: ['A', 'B'] });
	expect(await text(page, '#verdict strong')).toBe(
		'A and B are tied on click rate — not decided yet',
	);
	await page.click('[data-metric-choice="conversionRate"]');
	await page.waitForFunction(() =>
		document.querySelector('#verdict strong')?.textContent?.includes('conversion rate'),
	);

	const links = await page
		.locator('#links-table tbody tr')
		.evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-url')));
	expect(links).toEqual(stats.links.map((l: any) => l.url));
	const countries = await page
		.locator('#country-bars li')
		.evaluateAll((items) =>
			items.map((li) => [
				li.getAttribute('data-key'),
				Number(li.querySelector('strong')?.getAttribute('data-value')),
			]),
		);
	expect(countries).toEqual(stats.breakdowns.country.map((c: any) => [c.key, c.clicks]));
	expect(
		await page.locator('canvas#timeline-chart').evaluate((c: HTMLCanvasElement) => c.width > 0),
	).toBe(true);

	await page.screenshot({ path: path.join(artifacts, 'dashboard-campaign.png'), fullPage: true });

	// the key lives in this tab's sessionStorage and travels only as a header
	expect(await page.evaluate(() => sessionStorage.getItem('smsTracking.apiKey'))).toBe(
		server.apiKey,
	);
	expect(await page.evaluate(() => localStorage.length)).toBe(0);
	expect(
		requested.filter((url) => url.includes(server.apiKey) || url.includes('not-the-key')),
	).toEqual([]);
	expect(problems.filter((p) => !/401/.test(p))).toEqual([]);

	await page.click('#sign-out');
	await page.waitForSelector('#login-view:not([hidden])');
	expect(await page.evaluate(() => sessionStorage.getItem('smsTracking.apiKey'))).toBeNull();
	await context.close();
});

test('when a user signs in with a read key, then the campaign page with its A/B verdict works, and a key without read is told which scope it lacks', async () => {
	const key = async (scopes: string[]) =>
		(await server.api('POST', '/api/v1/keys', { name: `dashboard ${scopes}`, scopes })).body
			.key as string;
	const { context, page, problems } = await openDashboard({ width: 1280, height: 900 });
	await signIn(page, await key(['webhooks']));
	await page.locator('#login-error', { hasText: /"read" scope/ }).waitFor({ timeout: 10_000 });

	await signIn(page, await key(['read']));
	await page.click(`[data-campaign="${campaignId}"]`);
	await page.waitForSelector('body[data-ready="true"] #kpis .kpi');
	await page.locator('#variants-card strong[data-winner]').waitFor();
	expect(await text(page, '#campaign-name')).toBe('Black Friday');
	expect(problems.filter((p) => !/403/.test(p))).toEqual([]);
	await context.close();
});

test('when the dashboard is opened on a phone, then it fits the screen without sideways scrolling', async () => {
	const { context, page, problems } = await openDashboard({ width: 390, height: 844 });
	await signIn(page, server.apiKey);
	await page.waitForSelector(`[data-campaign="${campaignId}"]`);
	await page.click(`[data-campaign="${campaignId}"]`);
	await page.waitForSelector('body[data-ready="true"] #kpis .kpi');
	const widths = await page.evaluate(() => ({
		page: document.documentElement.scrollWidth,
		viewport: window.innerWidth,
	}));
	expect(widths.page).toBeLessThanOrEqual(widths.viewport);
	await page.screenshot({ path: path.join(artifacts, 'dashboard-phone.png'), fullPage: true });
	expect(problems).toEqual([]);
	await context.close();
});

test('when the dashboard is served, then it carries a strict content security policy and its chart library comes from this server', async () => {
	const res = await fetch(`${server.url}/dashboard/`);
	expect(res.status).toBe(200);
	const csp = res.headers.get('content-security-policy') ?? '';
	expect(csp).toContain("script-src 'self'");
	expect(csp).not.toContain('unsafe-inline');
	const html = await res.text();
	expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts
	expect(html).not.toMatch(/https?:\/\//);
	const chart = await fetch(`${server.url}/dashboard/vendor/chart.umd.min.js`);
	expect(chart.status).toBe(200);
	expect(await chart.text()).toContain('Chart');
});

test('when the built server (minified assets in dist) serves the dashboard, then it signs in and lists the campaigns', async () => {
	const built = await spawnServer({
		DATABASE_URL: server.databaseUrl,
		API_KEY: server.apiKey,
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'dash-')),
	});
	try {
		const chart = await fetch(`${built.url}/dashboard/vendor/chart.umd.min.js`);
		expect(chart.status).toBe(200);
		const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
		const page = await context.newPage();
		page.setDefaultTimeout(15_000);
		const problems: string[] = [];
		page.on('pageerror', (err) => problems.push(err.message));
		await page.goto(`${built.url}/dashboard/`);
		await signIn(page, server.apiKey);
		await page.click(`[data-campaign="${campaignId}"]`);
		await page.waitForSelector('body[data-ready="true"] #kpis .kpi');
		expect(await text(page, '[data-metric="clicks"] .kpi-value')).toBe('6');
		expect(problems).toEqual([]);
		await context.close();
	} finally {
		await built.stop();
	}
});

test('when sends were not reported, the rates are equal and all clicks fall in one hour, then the dashboard says so instead of contradicting itself', async () => {
	const created = await server.api('POST', '/api/v1/campaigns', {
		name: 'Tied, sends not reported',
		variants: [{ name: 'A' }, { name: 'B' }],
	});
	const id: string = created.body.id;
	const url = 'https://shop.example/tie';
	const phones = ['+4915100000101', '+4915100000102', '+4915100000103', '+4915100000104'];
	const links = await server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: phones.map((recipient, i) => ({
			recipient,
			urls: [url],
			variant: i < 2 ? 'A' : 'B',
		})),
	});
	const clicked = links.body.links.filter(
		(l: any) => l.recipient === phones[0] || l.recipient === phones[2],
	);
	await storeEvents(
		server,
		clicked.map((l: any, i: number) => ({
			type: 'click',
			campaignId: id,
			recipient: l.recipient,
			variant: l.variant,
			url,
			code: l.code,
			occurredAt: new Date(Date.parse('2026-11-20T09:10:00Z') + i * 60_000),
		})),
	);

	const { context, page, problems } = await openDashboard({ width: 1280, height: 900 });
	await signIn(page, server.apiKey);
	await page.waitForSelector(`[data-campaign="${id}"]`);
	await page.click(`[data-campaign="${id}"]`);
	await page.waitForSelector('body[data-ready="true"] #kpis .kpi');
	await page.locator('#verdict strong', { hasText: 'tied' }).waitFor();

	// "sent" means the same in the tiles and in the funnel: here, not reported in either
	expect(await text(page, '[data-metric="sent"] .kpi-value')).toBe('—');
	expect(await text(page, '[data-metric="sent"] .kpi-sub')).toBe('sends not reported');
	expect(await page.locator('#funnel li[data-step="sent"]').count()).toBe(0);
	expect(await text(page, '#funnel li[data-step="recipients"]')).toContain('sends not reported');
	expect(await text(page, '#funnel li[data-step="clicked"] .share')).toBe('50.0% of recipients');
	expect(await text(page, '[data-metric="ctr"] .kpi-sub')).toBe('unique clickers / recipients');
	expect(await text(page, '#variants-table tbody tr td:nth-child(2)')).toBe('—');

	// a tie reads as a tie
	expect(await text(page, '#verdict strong')).toBe(
		'A and B are tied on click rate — not decided yet',
	);
	expect(await page.locator('#variants-table .badge', { hasText: 'Leading' }).count()).toBe(0);
	expect(await page.locator('#variants-table .badge', { hasText: 'Tied' }).count()).toBe(2);

	// one bucket is drawn as bars, not as dots on the axis
	expect(
		await page.evaluate(() => (window as any).Chart.getChart('timeline-chart')?.config.type),
	).toBe('bar');

	// with the A/B card in between or not, no card touches the block above it
	const gaps = await page.evaluate(() => {
		const blocks = [...document.querySelectorAll('#campaign-view > .grid, #campaign-view > .card')]
			.filter((b) => !(b as HTMLElement).hidden)
			.map((b) => b.getBoundingClientRect());
		return blocks.slice(1).map((b, i) => Math.round(b.top - blocks[i].bottom));
	});
	expect(gaps.every((gap) => gap >= 12)).toBe(true);

	await page.screenshot({
		path: path.join(artifacts, 'dashboard-tie-unreported.png'),
		fullPage: true,
	});
	expect(problems).toEqual([]);
	await context.close();
});
