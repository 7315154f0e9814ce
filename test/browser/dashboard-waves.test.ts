import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { chromeOnAndroid, hit } from '../support/short-links';

/** The dashboard's waves table: a first send and a reminder, each with its own numbers. */
const sale = 'https://shop.example/sale';
const people = ['+4915100000401', '+4915100000402', '+4915100000403', '+4915100000404'];

let server: TestServer;
let browser: Browser;
let twoWaves: string;
let oneWave: string;

async function campaign(name: string) {
	return (await server.api('POST', '/api/v1/campaigns', { name })).body.id as string;
}
async function send(campaignId: string, recipients: string[], wave?: string) {
	const links = await server.api('POST', `/api/v1/campaigns/${campaignId}/links`, {
		...(wave ? { wave } : {}),
		recipients: recipients.map((recipient) => ({ recipient, urls: [sale] })),
	});
	await server.api('POST', `/api/v1/campaigns/${campaignId}/messages`, {
		...(wave ? { wave } : {}),
		messages: recipients.map((recipient) => ({ recipient, status: 'sent' })),
	});
	return links.body.links.map((l: { code: string }) => l.code) as string[];
}

beforeAll(async () => {
	server = await startTestServer();
	oneWave = await campaign('One send');
	await send(oneWave, people.slice(0, 2));
	twoWaves = await campaign('Invitation and reminder');
	const first = await send(twoWaves, people);
	for (const code of [first[0], first[0], first[1]])
		await hit(`${server.url}/${code}`, { userAgent: chromeOnAndroid });
	const reminder = await send(twoWaves, people.slice(2), 'Reminder');
	await hit(`${server.url}/${reminder[1]}`, { userAgent: chromeOnAndroid });
	browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

async function openCampaign(campaignId: string) {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 900 },
		locale: 'en-US',
	});
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	const problems: string[] = [];
	page.on('pageerror', (err) => problems.push(err.message));
	await page.goto(`${server.url}/dashboard`);
	await page.fill('#api-key', server.apiKey);
	await page.click('#login-form button[type=submit]');
	await page.click(`[data-campaign="${campaignId}"]`);
	await page.waitForSelector('body[data-ready="true"] #kpis .kpi');
	return { context, page, problems };
}

test('when a campaign was sent in two waves, then the dashboard shows each wave with its own clicks and click rate', async () => {
	const { context, page, problems } = await openCampaign(twoWaves);
	await page.waitForSelector('#waves-card:not([hidden]) #waves-table tbody tr');
	const rows = await page
		.locator('#waves-table tbody tr')
		.evaluateAll((trs) =>
			trs.map((tr) => [
				tr.getAttribute('data-wave'),
				...['recipients', 'clicks', 'uniqueClickers', 'ctr'].map((m) =>
					Number(tr.querySelector(`[data-metric="${m}"]`)?.getAttribute('data-value')),
				),
				tr.querySelector('[data-metric="ctr"]')?.textContent,
			]),
		);
	expect(rows).toEqual([
		['Initial', 4, 3, 2, 0.5, '50.0%'],
		['Reminder', 2, 1, 1, 0.5, '50.0%'],
	]);
	expect(problems).toEqual([]);
	await context.close();
});

test('when a campaign was sent in one wave, then the waves card stays hidden', async () => {
	const { context, page } = await openCampaign(oneWave);
	expect(await page.locator('#waves-card').isHidden()).toBe(true);
	await context.close();
});
