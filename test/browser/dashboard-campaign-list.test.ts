import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

const artifacts = path.resolve(__dirname, '../../test-artifacts');

/**
 * More campaigns than the dashboard's page of 50, the oldest with the most recipients (two by two,
 * so recipients tie) and the newest with none: a list sorted in the browser from the first page
 * alone (the 50 newest) could never put the oldest campaigns first.
 */
const count = 56;
const recipientsOf = (i: number) => Math.floor((count - 1 - i) / 2);

let server: TestServer;
let browser: Browser;
const campaigns: Array<{ id: string; recipients: number; created: number }> = [];
beforeAll(async () => {
	server = await startTestServer();
	for (let i = 0; i < count; i++) {
		const id = (await server.api('POST', '/api/v1/campaigns', { name: `Campaign ${String(i).padStart(2, '0')}` })).body.id as string;
		const recipients = Array.from({ length: recipientsOf(i) }, (_, r) => ({ recipient: `+49170${String(i).padStart(2, '0')}${String(r).padStart(5, '0')}`, urls: ['https://shop.example/'] }));
		if (recipients.length) await server.api('POST', `/api/v1/campaigns/${id}/links`, { recipients });
		campaigns.push({ id, recipients: recipients.length, created: i });
	}
	browser = await launchBrowser();
	mkdirSync(artifacts, { recursive: true });
}, 120_000);
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

/** Most recipients first, ties by id from the highest: the order the API documents, worked out here. */
const byRecipients = (order: 'asc' | 'desc') => {
	const sign = order === 'desc' ? -1 : 1;
	return [...campaigns].sort((a, b) => sign * (a.recipients - b.recipients || (a.id < b.id ? -1 : 1))).map((c) => c.id);
};
const newestFirst = () => [...campaigns].sort((a, b) => b.created - a.created).map((c) => c.id);

async function openList(viewport: { width: number; height: number }) {
	const context = await browser.newContext({ viewport, locale: 'en-US' });
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	const problems: string[] = [];
	const listRequests: URL[] = [];
	page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
	page.on('pageerror', (err) => problems.push(err.message));
	page.on('request', (req) => req.url().includes('/campaigns/kpis') && listRequests.push(new URL(req.url())));
	await page.goto(`${server.url}/dashboard/`);
	await page.fill('#api-key', server.apiKey);
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('body[data-ready="true"] tr.campaign-row');
	return { context, page, problems, listRequests };
}

const rows = (page: Page) => page.locator('tr.campaign-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')));

/** Waits until the list shows `expected` (the table no longer loading), and returns what it shows. */
const listShows = (page: Page, expected: string[], what: string) =>
	waitFor(async () => ((await page.locator('#campaign-list[aria-busy]').count()) ? null : await rows(page)), {
		what,
		until: (shown) => JSON.stringify(shown) === JSON.stringify(expected),
	});

const sortState = (page: Page) =>
	page.locator('#campaign-list th').evaluateAll((ths) =>
		Object.fromEntries(ths.map((th) => [th.querySelector('button')!.getAttribute('data-sort'), th.getAttribute('aria-sort')])),
	);

test('when a heading is clicked (or pressed with the keyboard), then the server sorts every campaign by it and "Load more" continues that order', async () => {
	const { context, page, problems, listRequests } = await openList({ width: 1280, height: 900 });
	await listShows(page, newestFirst().slice(0, 50), 'the 50 newest campaigns');
	expect((await sortState(page)).createdAt).toBe('descending');

	await page.click('button[data-sort="recipients"]');
	const desc = byRecipients('desc');
	await listShows(page, desc.slice(0, 50), 'the 50 campaigns with the most recipients, the oldest among them');
	expect(newestFirst().slice(0, 50)).not.toContain(desc[0]); // not on the first page by date: the order is the server's
	expect(await sortState(page)).toMatchObject({ recipients: 'descending', createdAt: 'none', name: 'none' });
	expect(await page.locator('button[data-sort="recipients"]').textContent()).toBe('Recipients ↓');
	expect(listRequests.at(-1)!.searchParams.get('sort')).toBe('recipients');

	await page.click('#more-campaigns');
	await listShows(page, desc, 'every campaign, the next page continuing the order');
	expect(await page.locator('#more-campaigns').isHidden()).toBe(true);
	expect(listRequests.at(-1)!.searchParams.get('cursor')).toEqual(expect.any(String));

	await page.locator('button[data-sort="recipients"]').focus();
	await page.keyboard.press('Enter');
	await listShows(page, byRecipients('asc').slice(0, 50), 'the fewest recipients first');
	expect((await sortState(page)).recipients).toBe('ascending');
	expect(await page.locator('button[data-sort="recipients"]').textContent()).toBe('Recipients ↑');
	// the keyboard stays on the heading it used, though the headings were drawn anew
	expect(await page.evaluate(() => document.activeElement?.getAttribute('data-sort'))).toBe('recipients');
	expect(problems).toEqual([]);
	await context.close();
});

test('when the sorted list is seen on a phone and on a desktop, then it fits the screen and shows the sort', async () => {
	for (const [name, viewport] of [
		['phone', { width: 390, height: 844 }],
		['desktop', { width: 1280, height: 900 }],
	] as const) {
		const { context, page, problems } = await openList(viewport);
		await page.click('button[data-sort="recipients"]');
		await listShows(page, byRecipients('desc').slice(0, 50), 'the most recipients first');
		expect((await sortState(page)).recipients).toBe('descending');
		const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
		expect(widths.page).toBeLessThanOrEqual(widths.viewport);
		await page.screenshot({ path: path.join(artifacts, `dashboard-list-sorted-${name}.png`) });
		expect(problems).toEqual([]);
		await context.close();
	}
});
