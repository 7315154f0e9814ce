import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { phoneUserAgent } from '../../support/browser';
import { request } from '../../support/server';
import { spawnServer } from '../../support/spawn-server';
import { waitFor } from '../../support/wait';

// The built server (minified t.js from dist) on the embedded PostgreSQL, without a browser:
// a click through the real redirect, then the beacon, the pixel and the API for that click, and
// a beacon for a click not stored yet.
test('when the built server runs on embedded PostgreSQL, then a click through the redirect converts by beacon, pixel and API', async () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-tracking-conv-embedded-'));
	// A loaded machine can make one embedded commit slower than the default 2 s, which would send
	// the click to the spool and leave the beacon waiting for it: this test is about conversions.
	const server = await spawnServer({ DATA_DIR: dataDir, CLICK_COMMIT_TIMEOUT_MS: '20000' });
	try {
		const auth = { authorization: `Bearer ${readFileSync(path.join(dataDir, 'api-key'), 'utf8').trim()}` };
		const campaign = await request(`${server.url}/api/v1/campaigns`, 'POST', { name: 'embedded conversions', conversionTracking: true, currency: 'EUR' }, auth);
		const links = await request(`${server.url}/api/v1/campaigns/${campaign.body.id}/links`, 'POST', { recipients: [{ recipient: '+4915100000777', urls: ['https://shop.example/p'] }] }, auth);
		const { code, shortUrl } = links.body.links[0];

		const hop = await fetch(shortUrl, { redirect: 'manual', headers: { 'user-agent': phoneUserAgent } });
		expect(hop.status).toBe(302);
		const clickId = new URL(hop.headers.get('location')!).searchParams.get('sms_cid')!;
		expect(clickId).toMatch(/^[A-Za-z0-9]{20,}$/);

		const script = await fetch(`${server.url}/t.js`);
		expect(await script.text()).toMatch(/^!function\(/); // the minified build, not the source

		// the redirect answers before its journal is loaded: this test is about the stored click's
		// conversions (a click not stored yet is the last step's case)
		await waitFor(
			async () => (await request(`${server.url}/api/v1/campaigns/${campaign.body.id}/events?type=click`, 'GET', undefined, auth)).body.events,
			{ what: 'the click stored', until: (events: Array<{ clickId: string }>) => events.some((e) => e.clickId === clickId) },
		);
		const beacon = await fetch(`${server.url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ clickId, name: 'signup', value: '9.90' }) });
		expect(beacon.status).toBe(201);
		const gif = await fetch(`${server.url}/c.gif?name=newsletter`, { headers: { cookie: `sms_cid=${clickId}` } });
		expect(gif.headers.get('content-type')).toBe('image/gif');
		const api = await request(`${server.url}/api/v1/conversions`, 'POST', { clickId, name: 'signup' }, auth);
		expect(api.status).toBe(200);
		expect(api.body).toMatchObject({ duplicate: true, code, recipient: '+4915100000777', value: 9.9, currency: 'EUR' });

		// A click id the server has not stored (yet): kept pending on the embedded database too.
		const early = await fetch(`${server.url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ clickId: 'NotYetStored0123456789', name: 'signup' }) });
		expect([early.status, await early.json()]).toEqual([202, { stored: false, pending: true, duplicate: false }]);

		const events = await request(`${server.url}/api/v1/campaigns/${campaign.body.id}/events?type=conversion`, 'GET', undefined, auth);
		expect(events.body.events.map((e: any) => [e.clickId, e.conversion?.name]).sort()).toEqual([
			[clickId, 'newsletter'],
			[clickId, 'signup'],
		]);
	} finally {
		await server.stop();
	}
});
