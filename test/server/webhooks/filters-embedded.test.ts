import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from '../../support/server';
import { spawnServer } from '../../support/spawn-server';
import { userAgents } from '../../support/user-agents';
import { waitFor } from '../../support/wait';

// The default a newcomer runs: the built server on the embedded PostgreSQL (PGlite). The outbox's
// conflict target on a partial unique index must behave there as on a PostgreSQL server.
test('when the built server runs on embedded PostgreSQL and a first-click subscription sees two clicks of one recipient, then one delivery is written', async () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-tracking-filters-embedded-'));
	const server = await spawnServer({
		DATA_DIR: dataDir,
		WEBHOOK_DISPATCHER: 'off',
		CLICK_COMMIT_TIMEOUT_MS: '20000',
	});
	try {
		const auth = {
			authorization: `Bearer ${readFileSync(path.join(dataDir, 'api-key'), 'utf8').trim()}`,
		};
		const api = (method: string, urlPath: string, body?: unknown) =>
			request(`${server.url}/api/v1${urlPath}`, method, body, auth);
		const campaign = (await api('POST', '/campaigns', { name: 'embedded first click' })).body.id;
		const links = (
			await api('POST', `/campaigns/${campaign}/links`, {
				recipients: [{ recipient: '+4915100000888', urls: ['https://shop.example/p'] }],
			})
		).body.links;
		const hook = await api('POST', '/webhooks', {
			url: 'http://127.0.0.1:9/hook',
			events: ['click'],
			campaignId: campaign,
			filters: { firstPerRecipient: true },
		});
		expect(hook.status).toBe(201);

		for (let i = 0; i < 2; i++) {
			const hop = await fetch(links[0].shortUrl, {
				redirect: 'manual',
				headers: { 'user-agent': userAgents.chromeAndroid },
			});
			expect(hop.status).toBe(302);
		}
		await waitFor(
			async () => (await api('GET', `/campaigns/${campaign}/stats`)).body.totals?.clicks,
			{
				what: 'both clicks stored',
				until: (clicks) => clicks === 2,
			},
		);
		const deliveries = (await api('GET', `/webhooks/${hook.body.id}/deliveries`)).body.deliveries;
		expect(deliveries).toHaveLength(1);
	} finally {
		await server.stop();
	}
});
