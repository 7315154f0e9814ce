import { parseExposition, type Exposition } from '../../support/prometheus';
import { request, startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { userAgents } from '../../support/user-agents';
import { waitFor } from '../../support/wait';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

let server: TestServer;
let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
	server = await startTestServer({ WEBHOOK_POLL_MS: '50' });
});
afterAll(async () => {
	await server.close();
	await receiver.close();
});

async function scrape(): Promise<Exposition> {
	const res = await request<string>(`${server.url}/metrics`);
	expect(res.status).toBe(200);
	return parseExposition(res.body);
}

/** Each series once: its name and its labels. */
const series = (m: Exposition) =>
	m.samples
		.filter((s) => s.name.startsWith('sms_tracking_'))
		.map((s) => `${s.name}${JSON.stringify(s.labels)}`)
		.sort();

test("when many campaigns, codes, recipients, clicks and deliveries come, then the server's series stay the same and no label holds a phone number, code, campaign id or URL", async () => {
	const before = await scrape();
	const campaigns: Array<{ campaignId: string; codes: string[] }> = [];
	const recipients: string[] = [];
	for (let c = 0; c < 12; c++) {
		const list = Array.from({ length: 15 }, (_, r) => ({
			recipient: `+49151${String(c * 100 + r).padStart(7, '0')}`,
			urls: [`https://shop${c}.example/item-${r}`, `https://shop${c}.example/other-${r}`],
		}));
		recipients.push(...list.map((l) => l.recipient));
		const created = await createCampaignWithLinks(server, { name: `campaign ${c}` }, list);
		campaigns.push(created);
		expect(
			(
				await server.api('POST', '/api/v1/webhooks', {
					url: receiver.url,
					events: ['click', 'view'],
					campaignId: created.campaignId,
				})
			).status,
		).toBe(201);
	}
	const userAgentsInTurn = [chromeOnAndroid, userAgents.whatsAppAndroid, userAgents.curl];
	let clicksAndViews = 0;
	for (const [c, { codes }] of campaigns.entries()) {
		for (let i = 0; i < 10; i++) {
			const ua = userAgentsInTurn[(c + i) % userAgentsInTurn.length];
			expect(
				(await hit(`${server.url}/${codes[(i * 3) % codes.length]}`, { userAgent: ua })).status,
			).toBe(302);
			if (ua !== userAgents.curl) clicksAndViews++;
		}
	}
	await receiver.waitFor(clicksAndViews);

	const after = await waitFor(scrape, {
		what: 'every delivery counted as delivered',
		until: (m) =>
			m.value('sms_tracking_webhook_deliveries_total', { result: 'delivered' })! -
				before.value('sms_tracking_webhook_deliveries_total', { result: 'delivered' })! ===
			clicksAndViews,
	});
	expect(after.value('sms_tracking_redirects_total', { outcome: 'click' })).toBeGreaterThan(0);
	expect(series(after)).toEqual(series(before));

	// Process metrics (prom-client's defaults) label by handle type, GC kind, heap space or Node
	// version: bounded too. None of any series' labels may carry what identifies a recipient.
	const identifying = [
		...recipients,
		...recipients.map((r) => r.slice(1)),
		...campaigns.flatMap((c) => [c.campaignId, ...c.codes]),
	];
	const leaks = after.samples.flatMap((s) =>
		Object.values(s.labels)
			.filter(
				(value) => /https?:|\+?\d{8,}/.test(value) || identifying.some((id) => value.includes(id)),
			)
			.map((value) => `${s.name}: ${value}`),
	);
	expect(leaks).toEqual([]);
});
