import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { csvRecords } from '../support/csv';
import { storeEvents } from '../support/events';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { maskPhone } from '../../server/src/shared/phone-mask';
import { people, sale, seedKnownCampaign } from '../support/stats-seed';

const artifacts = path.resolve(__dirname, '../../test-artifacts');
const timeZone = 'Europe/Berlin';

let server: TestServer;
let browser: Browser;
let campaignId: string;
let manyId: string;
beforeAll(async () => {
	server = await startTestServer();
	campaignId = await seedKnownCampaign(server, 'Black Friday');
	// two more clicks two days later, and one within the last days, so ranges cut the campaign
	await storeEvents(server, [
		{ type: 'click', campaignId, recipient: people.a3, variant: 'A', url: sale, occurredAt: new Date('2026-11-22T08:00:00Z'), deviceType: 'mobile', os: 'Android', country: 'FR' },
		{ type: 'click', campaignId, recipient: people.b2, variant: 'B', url: sale, occurredAt: new Date('2026-11-22T23:30:00Z'), deviceType: 'desktop', os: 'Windows', country: 'AT' },
		{ type: 'click', campaignId, recipient: people.a2, variant: 'A', url: sale, occurredAt: new Date(Date.now() - 2 * 86_400_000), deviceType: 'mobile', os: 'iOS', country: 'DE' },
	]);
	const many = await server.api('POST', '/api/v1/campaigns', { name: 'Many recipients' });
	manyId = many.body.id;
	await server.api('POST', `/api/v1/campaigns/${manyId}/links`, {
		recipients: Array.from({ length: 30 }, (_, i) => ({ recipient: `+4917000000${String(i).padStart(3, '0')}`, urls: [sale] })),
	});
	browser = await launchBrowser();
	mkdirSync(artifacts, { recursive: true });
}, 120_000);
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

async function openCampaign(viewport: { width: number; height: number }, id = campaignId) {
	const context = await browser.newContext({ viewport, timezoneId: timeZone, locale: 'en-US', acceptDownloads: true });
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	const statsRequests: string[] = [];
	const problems: string[] = [];
	page.on('request', (req) => req.url().includes('/stats?') && statsRequests.push(req.url()));
	page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
	page.on('pageerror', (err) => problems.push(err.message));
	await page.goto(`${server.url}/dashboard/`);
	await page.fill('#api-key', server.apiKey);
	await page.click('#login-form button[type=submit]');
	await page.click(`[data-campaign="${id}"]`);
	await page.waitForSelector('body[data-ready="true"] #kpis .kpi');
	await page.waitForSelector('#recipients-table tbody tr');
	return { context, page, statsRequests, problems };
}

/** Waits until the cards show the last stats query the page asked for, and returns it. */
async function choose(page: Page, statsRequests: string[], act: () => Promise<unknown>) {
	const before = statsRequests.length;
	await act();
	await waitFor(() => statsRequests.length > before, { what: 'a stats request for the new choice' });
	await waitFor(
		async () => {
			const drawn = await page.evaluate(() => (document.body.dataset.ready === 'true' ? document.body.dataset.drawn : null));
			return Boolean(drawn && statsRequests[statsRequests.length - 1].endsWith(drawn));
		},
		{ what: 'the cards to show the last stats request' },
	);
	return new URL(statsRequests[statsRequests.length - 1]);
}

/** Custom days, first and last included, as a user picks them (the preset, then each day). */
async function pickDays(page: Page, first: string, last: string) {
	await page.selectOption('#range-preset', 'custom');
	await page.fill('#range-from', first);
	await page.fill('#range-to', last);
	await page.locator('#range-to').dispatchEvent('change');
}

/**
 * Holds the answer to the first request matching `url` until `release()` (later ones pass);
 * `held` resolves once that answer is in hand.
 */
async function holdFirstAnswer(page: Page, url: string) {
	let holding: (() => void) | undefined;
	const held = new Promise<void>((resolve) => (holding = resolve));
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.route(url, async (route) => {
		if (!holding) return route.continue();
		const response = await route.fetch();
		holding();
		holding = undefined;
		await released;
		await route.fulfill({ response });
	});
	return { held, release };
}

/** What every card shows, read from the page. */
async function shown(page: Page) {
	return page.evaluate(() => {
		const value = (sel: string) => document.querySelector(sel)?.getAttribute('data-value');
		const chart = (id: string) => (window as any).Chart.getChart(id);
		return {
			tiles: Object.fromEntries(
				[...document.querySelectorAll('#kpis .kpi')].map((k) => [k.getAttribute('data-metric'), k.getAttribute('data-value')]),
			),
			funnel: [...document.querySelectorAll('#funnel li')].map((li) => [li.getAttribute('data-step'), Number(li.getAttribute('data-value'))]),
			variants: [...document.querySelectorAll('#variants-table tbody tr')].map((tr) => [tr.getAttribute('data-variant'), Number(tr.querySelectorAll('td')[3].getAttribute('data-value'))]),
			links: [...document.querySelectorAll('#links-table tbody tr')].map((tr) => [tr.getAttribute('data-url'), tr.querySelectorAll('td')[1]?.textContent]),
			countries: [...document.querySelectorAll('#country-bars li[data-key]')].map((li) => [li.getAttribute('data-key'), Number(li.querySelector('strong')?.getAttribute('data-value'))]),
			timelineClicks: (chart('timeline-chart')?.data.datasets[0].data ?? []).reduce((a: number, b: number) => a + b, 0),
			timelineType: chart('timeline-chart')?.config.type,
			hours: chart('hours-chart')?.data.datasets[0].data,
			hoursZone: document.querySelector('#hours-tz')?.textContent,
			sentTile: value('[data-metric="sent"]'),
		};
	});
}

/** The same figures from the stats API for the query the page used. */
async function expected(url: URL) {
	const stats = (await server.api('GET', `/api/v1/campaigns/${campaignId}/stats${url.search}`)).body;
	const t = stats.totals;
	const reported = t.sent > 0 || t.recipients === 0;
	return {
		stats,
		funnel: [
			reported ? ['sent', t.sent] : ['recipients', t.recipients],
			['delivered', t.delivered],
			['viewed', t.uniqueViewers],
			['clicked', t.uniqueClickers],
			['converted', t.uniqueConverters],
		],
		variants: stats.variants.map((v: any) => [v.variant, v.ctr]),
		links: stats.links.map((l: any) => [l.url, String(l.clicks)]),
		countries: stats.breakdowns.country.slice(0, 8).map((c: any) => [c.key, c.clicks]),
		hours: stats.breakdowns.hourOfDay.map((h: any) => h.clicks),
	};
}

async function assertEveryCardFollows(page: Page, url: URL) {
	const on = await shown(page);
	const want = await expected(url);
	const t = want.stats.totals;
	for (const metric of ['recipients', 'delivered', 'views', 'clicks', 'ctr', 'conversions', 'conversionRate', 'revenue', 'roi']) {
		expect([metric, on.tiles[metric] === '' ? null : Number(on.tiles[metric])]).toEqual([metric, t[metric]]);
	}
	expect(on.funnel).toEqual(want.funnel);
	// "sent" is the same in the tile and the funnel
	if (want.funnel[0][0] === 'sent') expect(Number(on.sentTile)).toBe(on.funnel[0][1]);
	else expect(on.sentTile).toBe('');
	expect(on.variants).toEqual(want.variants);
	expect(on.links).toEqual(want.links);
	expect(on.countries).toEqual(want.countries);
	expect(on.timelineClicks).toBe(t.clicks);
	expect(on.timelineType).toBe(want.stats.timeline.length === 1 ? 'bar' : 'line');
	expect(on.hours).toEqual(want.hours);
	expect(on.hoursZone).toBe(`(${want.stats.timeZone})`);
	return want.stats;
}

test('when a custom range, a preset and another time zone are chosen, then every card shows the stats API figures of that range in that zone', async () => {
	const { context, page, statsRequests, problems } = await openCampaign({ width: 1280, height: 900 });
	expect(await page.inputValue('#range-preset')).toBe('all');
	expect(await page.inputValue('#range-tz')).toBe(timeZone); // the browser's zone by default
	const whole = await assertEveryCardFollows(page, new URL(statsRequests[statsRequests.length - 1]));
	expect(whole.from).toBeNull();

	// one day in Berlin: midnight to midnight there (UTC+1 in November)
	let url = await choose(page, statsRequests, () => pickDays(page, '2026-11-20', '2026-11-20'));
	expect(url.searchParams.get('from')).toBe('2026-11-19T23:00:00.000Z');
	expect(url.searchParams.get('to')).toBe('2026-11-20T23:00:00.000Z');
	expect(url.searchParams.get('timeZone')).toBe(timeZone);
	const day = await assertEveryCardFollows(page, url);
	expect(day.totals.clicks).toBeLessThan(whole.totals.clicks);
	expect(await page.innerText('#range-label')).toBe('Nov 20, 2026 · Europe/Berlin');
	expect(await page.isVisible('#verdict-scope')).toBe(true);
	// the whole campaign's verdict puts no badge beside the rates of one day
	expect(await page.locator('#variants-table .badge').count()).toBe(0);
	await page.screenshot({ path: path.join(artifacts, 'dashboard-range-custom-day.png'), fullPage: true });

	// the same day in New York starts 6 hours later and shows New York's hours
	url = await choose(page, statsRequests, () => page.selectOption('#range-tz', 'America/New_York'));
	expect(url.searchParams.get('from')).toBe('2026-11-20T05:00:00.000Z');
	expect(url.searchParams.get('timeZone')).toBe('America/New_York');
	await assertEveryCardFollows(page, url);
	expect(await page.innerText('#tz-label')).toBe('America/New_York');

	// the last 7 days end with today, in the chosen zone
	url = await choose(page, statsRequests, () => page.selectOption('#range-preset', 'last7'));
	const from = Date.parse(url.searchParams.get('from')!);
	const to = Date.parse(url.searchParams.get('to')!);
	expect(Math.round((to - from) / 3_600_000)).toBeGreaterThanOrEqual(7 * 24 - 1);
	expect(Math.round((to - from) / 3_600_000)).toBeLessThanOrEqual(7 * 24 + 1);
	expect(to).toBeGreaterThan(Date.now());
	expect(to - Date.now()).toBeLessThanOrEqual(25 * 3_600_000);
	const week = await assertEveryCardFollows(page, url);
	expect(week.totals.clicks).toBe(1); // the click of two days ago only

	for (const preset of ['today', 'yesterday', 'last14', 'last30']) {
		url = await choose(page, statsRequests, () => page.selectOption('#range-preset', preset));
		await assertEveryCardFollows(page, url);
	}

	// a first day after the last one is refused in the page, and asks the server nothing
	await page.selectOption('#range-preset', 'custom');
	await page.waitForFunction(() => document.body.dataset.ready === 'true');
	const asked = statsRequests.length;
	await page.fill('#range-from', '2026-11-25');
	await page.fill('#range-to', '2026-11-20');
	await page.locator('#range-to').dispatchEvent('change');
	await page.locator('#range-error', { hasText: 'must not be after' }).waitFor();
	expect(statsRequests.length).toBe(asked);
	expect(problems).toEqual([]);
	await context.close();
});

test('when a range is chosen before the verdict of the one before has arrived, then the variants table keeps the range chosen last', async () => {
	const { context, page, statsRequests, problems } = await openCampaign({ width: 1280, height: 900 });
	const utc = await choose(page, statsRequests, async () => {
		await page.selectOption('#range-tz', 'UTC');
		await pickDays(page, '2026-11-20', '2026-11-22');
	});
	// Nov 20–22 in Berlin ends an hour before B's click at 23:30 UTC on the 22nd: other rates
	const berlin = new URL(utc);
	berlin.searchParams.set('from', '2026-11-19T23:00:00.000Z');
	berlin.searchParams.set('to', '2026-11-22T23:00:00.000Z');
	berlin.searchParams.set('timeZone', timeZone);
	expect((await expected(berlin)).variants).not.toEqual((await expected(utc)).variants);

	const { held, release } = await holdFirstAnswer(page, '**/winner');
	await page.selectOption('#range-tz', timeZone);
	await held; // Berlin's stats are drawn, its verdict waits
	const last = await choose(page, statsRequests, () => page.selectOption('#range-tz', 'UTC'));
	const answered = await page.evaluate(() => Number(document.body.dataset.verdicts));
	release();
	await waitFor(async () => (await page.evaluate(() => Number(document.body.dataset.verdicts))) > answered, {
		what: "Berlin's verdict to arrive",
	});
	const stats = await assertEveryCardFollows(page, last);
	expect(stats.timeZone).toBe('UTC');
	expect(problems).toEqual([]);
	await context.close();
});

test('when another campaign is opened before the first one has loaded, then the page shows the one opened last', async () => {
	const { context, page, problems } = await openCampaign({ width: 1280, height: 900 });
	const answered = () => page.evaluate(() => Number(document.body.dataset.campaignAnswers ?? 0));
	const { held, release } = await holdFirstAnswer(page, `**/campaigns/${manyId}/stats?*`);
	await page.evaluate(() => (location.hash = '#/'));
	await page.locator(`[data-campaign="${manyId}"]`).waitFor();
	const before = await answered();
	await page.evaluate((id) => (location.hash = `#/campaigns/${id}`), manyId);
	await held; // "Many recipients" is asked for, its stats wait
	await page.evaluate((id) => (location.hash = `#/campaigns/${id}`), campaignId);
	await waitFor(
		() =>
			page.evaluate(() => ({
				ready: document.body.dataset.ready,
				name: document.querySelector('#campaign-name')?.textContent,
				answers: Number(document.body.dataset.campaignAnswers ?? 0),
			})),
		{
			what: 'Black Friday to be shown',
			until: (p) => p.ready === 'true' && p.name === 'Black Friday' && p.answers === before + 1,
		},
	);
	release();
	await waitFor(answered, { what: "the answers of the campaign left to arrive", until: (n) => n === before + 2 });
	expect(await page.innerText('#campaign-name')).toBe('Black Friday');
	expect(await page.evaluate(() => document.body.dataset.drawn)).toContain(`/campaigns/${campaignId}/stats?`);
	expect(await page.evaluate(() => document.body.dataset.ready)).toBe('true');
	expect(problems).toEqual([]);
	await context.close();
});

test('when the recipients table is filtered and paged, then it lists what Get Recipients lists, phone numbers masked until asked', async () => {
	const { context, page, problems } = await openCampaign({ width: 1280, height: 900 });
	const api = (query: string) => server.api('GET', `/api/v1/campaigns/${campaignId}/recipients?${query}`).then((r) => r.body.recipients);
	const rows = () => page.locator('#recipients-table tbody tr.recipient-row').evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
	const masked = (list: any[]) => list.map((r) => maskPhone(r.recipient));
	const same = (want: unknown) => (shown: unknown) => JSON.stringify(shown) === JSON.stringify(want);
	expect(await rows()).toEqual(masked(await api('limit=25')));
	expect((await rows())[0]).toBe('+49 151 •••• 01');
	// full numbers reach the page only when asked for
	expect(await page.content()).not.toContain(people.a1);
	await page.check('#rcp-show-numbers');
	expect((await rows())[0]).toBe(people.a1);
	await page.uncheck('#rcp-show-numbers');
	expect(await page.content()).not.toContain(people.a1);

	await page.selectOption('#rcp-clicked', 'true');
	const clickers = await api('clicked=true');
	await waitFor(rows, { what: 'the clickers', until: same(masked(clickers)) });
	await page.selectOption('#rcp-variant', 'B');
	const bClickers = (await api('clicked=true&variant=B')).map((r: any) => r.recipient);
	await waitFor(rows, { what: "B's clickers", until: same(bClickers.map(maskPhone)) });

	// the recipients download carries the table's filters
	const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="recipients.csv"]')]);
	const file = csvRecords(readFileSync((await download.path())!, 'utf8'));
	expect(file.map((r) => r.recipient)).toEqual(bClickers.map((r: string) => `'${r}`));
	expect(problems).toEqual([]);
	await context.close();

	// 30 recipients: two pages of 25 and 5, and back
	const many = await openCampaign({ width: 1280, height: 900 }, manyId);
	await many.page.check('#rcp-show-numbers'); // the numbers of this campaign differ in more than their last two digits
	const all = (await server.api('GET', `/api/v1/campaigns/${manyId}/recipients?limit=100`)).body.recipients.map((r: any) => r.recipient);
	const ids = () => many.page.locator('#recipients-table tbody tr.recipient-row').evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
	expect(await ids()).toEqual(all.slice(0, 25));
	expect(await many.page.isDisabled('#rcp-prev')).toBe(true);
	await many.page.click('#rcp-next');
	await waitFor(ids, { what: 'the second page', until: (shown) => JSON.stringify(shown) === JSON.stringify(all.slice(25)) });
	expect(await many.page.isDisabled('#rcp-next')).toBe(true);
	await many.page.click('#rcp-prev');
	await waitFor(ids, { what: 'the first page again', until: (shown) => JSON.stringify(shown) === JSON.stringify(all.slice(0, 25)) });
	expect(many.problems).toEqual([]);
	await many.context.close();
});

test('when the stats, events and recipients of a range are shown and downloaded, then the table and the files hold that range', async () => {
	const { context, page, statsRequests, problems } = await openCampaign({ width: 1280, height: 900 });
	const url = await choose(page, statsRequests, () => pickDays(page, '2026-11-20', '2026-11-22'));
	const save = async (file: string) => {
		const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${file}"]`)]);
		expect(download.suggestedFilename()).toBe(`${campaignId}-${file.replace('.csv', '')}-2026-11-19_2026-11-22.csv`);
		return csvRecords(readFileSync((await download.path())!, 'utf8'));
	};
	const events = await save('events.csv');
	const listed = (await server.api('GET', `/api/v1/campaigns/${campaignId}/events?from=${url.searchParams.get('from')}&to=${url.searchParams.get('to')}&limit=1000`)).body.events;
	expect(events.map((e) => e.id)).toEqual(listed.map((e: any) => e.id));
	const stats = await save('stats.csv');
	const totals = (await server.api('GET', `/api/v1/campaigns/${campaignId}/stats${url.search}`)).body.totals;
	expect(Number(stats.find((r) => r.section === 'totals' && r.metric === 'clicks')!.value)).toBe(totals.clicks);

	// the recipients table and its download: every recipient, with the clicks of the range
	const range = `from=${url.searchParams.get('from')}&to=${url.searchParams.get('to')}`;
	const inRange = (await server.api('GET', `/api/v1/campaigns/${campaignId}/recipients?${range}&limit=25`)).body.recipients;
	const whole = (await server.api('GET', `/api/v1/campaigns/${campaignId}/recipients?limit=25`)).body.recipients;
	expect(inRange.map((r: any) => r.clicks)).not.toEqual(whole.map((r: any) => r.clicks)); // a2's recent click is outside
	const table = () =>
		page.locator('#recipients-table tbody tr.recipient-row').evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[4].textContent)));
	await waitFor(table, { what: "the range's clicks in the table", until: (shown) => JSON.stringify(shown) === JSON.stringify(inRange.map((r: any) => r.clicks)) });
	expect(await page.innerText('#rcp-scope')).toBe('Nov 20, 2026 – Nov 22, 2026 · Europe/Berlin');
	expect(Object.fromEntries((await save('recipients.csv')).map((r) => [r.recipient, Number(r.clicks)]))).toEqual(
		Object.fromEntries(inRange.map((r: any) => [`'${r.recipient}`, r.clicks])),
	);
	expect(problems).toEqual([]);
	await context.close();
});

test('when the campaign list is shown, then each campaign has its KPIs and a heading sorts by it', async () => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: timeZone, locale: 'en-US' });
	const page = await context.newPage();
	await page.goto(`${server.url}/dashboard/`);
	await page.fill('#api-key', server.apiKey);
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector(`[data-campaign="${campaignId}"]`);
	const kpis = (await server.api('GET', '/api/v1/campaigns/kpis')).body.campaigns;
	const row = page.locator(`tr[data-row="${campaignId}"]`);
	const black = kpis.find((c: any) => c.id === campaignId);
	expect(await row.locator('[data-key="recipients"]').innerText()).toBe(String(black.recipients));
	expect(await row.locator('[data-key="ctr"]').innerText()).toBe(`${(black.ctr * 100).toFixed(1)}%`);
	expect(await row.locator('[data-key="revenue"]').innerText()).toBe('€74.90');
	const order = () => page.locator('tr.campaign-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')));
	expect(await order()).toEqual(kpis.map((c: any) => c.id)); // newest first
	// the order is the server's: wait for its answer to be drawn
	const shows = (expected: string[], what: string) =>
		waitFor(async () => ((await page.locator('#campaign-list[aria-busy]').count()) ? null : await order()), {
			what,
			until: (shown) => JSON.stringify(shown) === JSON.stringify(expected),
		});
	await page.click('button[data-sort="recipients"]');
	const byRecipients = [...kpis].sort((a: any, b: any) => b.recipients - a.recipients).map((c: any) => c.id);
	await shows(byRecipients, 'the most recipients first');
	await page.click('button[data-sort="recipients"]');
	await shows([...byRecipients].reverse(), 'the fewest recipients first');
	await page.screenshot({ path: path.join(artifacts, 'dashboard-campaign-list.png'), fullPage: true });
	await context.close();
});

test('when the dashboard with its range bar and recipients is opened on a phone and on a desktop, then it fits the screen', async () => {
	for (const [name, viewport] of [
		['phone', { width: 390, height: 844 }],
		['desktop', { width: 1280, height: 900 }],
	] as const) {
		const { context, page, problems } = await openCampaign(viewport);
		const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
		expect(widths.page).toBeLessThanOrEqual(widths.viewport);
		await page.screenshot({ path: path.join(artifacts, `dashboard-range-${name}.png`), fullPage: true });
		// what a phone shows at once: the top of the page, and the A/B card scrolled to
		await page.screenshot({ path: path.join(artifacts, `dashboard-range-${name}-top.png`) });
		await page.locator('#variants-card').scrollIntoViewIfNeeded();
		await page.screenshot({ path: path.join(artifacts, `dashboard-range-${name}-ab.png`) });
		await page.locator('#range-bar').screenshot({ path: path.join(artifacts, `dashboard-range-bar-${name}.png`) });
		await page.locator('#recipients-card').screenshot({ path: path.join(artifacts, `dashboard-recipients-${name}.png`) });
		await page.click('.back');
		await page.waitForSelector(`[data-campaign="${campaignId}"]`);
		const listWidths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
		expect(listWidths.page).toBeLessThanOrEqual(listWidths.viewport);
		await page.screenshot({ path: path.join(artifacts, `dashboard-list-${name}.png`), fullPage: true });
		expect(problems).toEqual([]);
		await context.close();
	}
});
