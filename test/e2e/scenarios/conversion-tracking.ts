import type { Browser } from 'playwright-core';
import { launchBrowser, newPhoneContext } from '../../support/browser';
import { subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { shortLinksIn } from '../harness/visit';

/** The shop's landing page: served by the test file's local site, its HTML set by the scenario. */
export interface ShopSite {
	url: string;
	landingHtml: string;
}

/**
 * examples/conversion-tracking.json: a campaign with conversion tracking, Get Tracking Code, the
 * send; the tags it returned go on the shop's landing page (a local site on an origin the tracking
 * server allows), a recipient opens their SMS link in Chromium, buys, and the conversion trigger
 * tells the CRM.
 */
export function conversionTrackingScenario(env: () => Environment, shop: () => ShopSite): void {
	describe('conversion tracking end to end (examples/conversion-tracking.json)', () => {
		let browser: Browser | undefined;
		afterAll(() => browser?.close());

		test('when a recipient opens the SMS link in a browser and the page with the tracking code reports the purchase, then the conversion trigger runs for that recipient', async () => {
			const { n8n, seven, tracking, receiver, credentials } = env();
			const site = shop();
			const id = await n8n.createWorkflow(
				loadExample('conversion-tracking.json', credentials, {
					'https://shop.example.com/spring': `${site.url}/spring`,
					'https://crm.example.com': receiver.url,
				}),
			);
			await n8n.activate(id);
			await waitFor(
				'the conversion subscription',
				async () => (await subscriptionsTo(tracking, n8n.url)).some((s) => s.events.includes('conversion')),
				15_000,
			);
			const before = seven.received.length;
			await n8n.executeCli(id);
			const [run] = await n8n.waitForExecutions(id, 1);
			expect(run.status).toBe('success');
			const [code] = nodeOutput(run, 'Get tracking code');
			expect(code).toMatchObject({ conversionTracking: true, scriptUrl: expect.stringContaining(`${tracking.url}/t.js`) });
			expect(code.warning).toBeUndefined();

			// The shop pastes the tags: the script in <head>, the conversion call on the page where the purchase happens.
			site.landingHtml = `<!doctype html><html><head>${code.script}</head><body><h1>Spring sale</h1>${code.conversion.replace('ORDER-ID', 'order-e2e-4711')}</body></html>`;

			const ada = '+4915112340601';
			const sms = seven.received.slice(before).find((s) => s.to.replace(/^\+?/, '+') === ada);
			expect(sms).toBeDefined();
			const [link] = shortLinksIn(sms!.text, tracking.url);
			browser = await launchBrowser();
			const phone = await newPhoneContext(browser);
			const page = await phone.newPage();
			const beacon = page.waitForResponse((res) => new URL(res.url()).pathname === '/collect', { timeout: 20_000 });
			await page.goto(link);
			expect(new URL(page.url()).origin).toBe(site.url);
			expect(new URL(page.url()).searchParams.get('sms_cid')).toBeTruthy();
			// 201 stored; 202 kept pending until the click, journaled on the redirect, reaches the database
			expect([201, 202]).toContain((await beacon).status());

			const calls = await waitFor('the CRM told of the purchase', () => receiver.on('/hooks/sms-purchase')[0], 20_000, 100);
			const campaignId = nodeOutput(run, 'Create campaign')[0].id;
			expect(calls.body).toMatchObject({ recipient: ada, campaignId, conversion: 'purchase', currency: 'EUR' });
			expect(Number((calls.body as { value: unknown }).value)).toBe(49.9);
			await n8n.deactivate(id);
		}, 150_000);
	});
}
