import { parseExposition, type Exposition } from '../../support/prometheus';
import { startOwnPostgres, type OwnPostgres } from '../../support/own-postgres';
import { request, startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { waitFor } from '../../support/wait';

/** PostgreSQL (its own server) is really stopped while Prometheus goes on scraping. */
let pg: OwnPostgres;
let server: TestServer;
beforeAll(async () => {
	pg = await startOwnPostgres();
	server = await startTestServer({ DATABASE_URL: pg.url, WEBHOOK_DISPATCHER: 'off' });
}, 120_000);
afterAll(async () => {
	await server?.close();
	await pg?.destroy();
});

async function scrape(): Promise<Exposition> {
	const res = await request<string>(`${server.url}/metrics`);
	expect(res.status).toBe(200);
	return parseExposition(res.body);
}

const age = (m: Exposition) => m.value('sms_tracking_database_gauges_age_seconds')!;

test('when PostgreSQL stops, then /metrics still answers with the last database readings and their growing age, and fresh readings once it is back', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/a'] },
	]);
	expect(
		(
			await server.api('POST', '/api/v1/webhooks', {
				url: 'http://127.0.0.1:9/hook',
				events: ['click'],
				campaignId,
			})
		).status,
	).toBe(201);
	await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
	await waitFor(async () => (await scrape()).value('sms_tracking_webhook_outbox_pending'), {
		what: 'one pending delivery read from the database',
		until: (n) => n === 1,
	});

	await pg.stop();
	const during = await waitFor(scrape, {
		what: 'the readings more than a second old',
		until: (m) => age(m) > 1,
	});
	expect(during.value('sms_tracking_webhook_outbox_pending')).toBe(1);
	expect(during.value('sms_tracking_redirects_total', { outcome: 'click' })).toBe(1);

	await pg.start();
	await waitFor(scrape, { what: 'fresh readings again', until: (m) => age(m) < 1 });
}, 60_000);
