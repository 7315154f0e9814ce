import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from '../../support/server';
import { spawnServer } from '../../support/spawn-server';

// The default a newcomer gets: no DATABASE_URL, so the server runs PostgreSQL (PGlite) in process.
test('when DATABASE_URL is unset, then the server runs on embedded PostgreSQL, keeps its data across restarts and stops cleanly on SIGTERM', async () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-tracking-embedded-'));
	const first = await spawnServer({ DATA_DIR: dataDir });
	const apiKey = readFileSync(path.join(dataDir, 'api-key'), 'utf8').trim();
	expect(first.output()).toContain(apiKey); // printed for the newcomer to paste into n8n
	const auth = { authorization: `Bearer ${apiKey}` };

	expect((await request(`${first.url}/readyz`)).status).toBe(200);
	expect((await request(`${first.url}/api/v1/campaigns`, 'POST', { name: 'no key' })).status).toBe(401);
	const campaign = await request(`${first.url}/api/v1/campaigns`, 'POST', { name: 'embedded' }, auth);
	expect(campaign.status).toBe(201);
	const recipients = Array.from({ length: 500 }, (_, i) => ({ recipient: `+4915${String(i).padStart(9, '0')}`, urls: ['https://shop.example/a', 'https://shop.example/b'] }));
	const links = await request(`${first.url}/api/v1/campaigns/${campaign.body.id}/links`, 'POST', { recipients }, auth);
	expect(links.status).toBe(200);
	expect(new Set(links.body.links.map((l: any) => l.code)).size).toBe(1000);
	const bad = await request(
		`${first.url}/api/v1/campaigns/${campaign.body.id}/links`,
		'POST',
		{ recipients: [{ recipient: '+4915199999999', urls: ['https://ok.example/'] }, { recipient: '+4915199999998', urls: ['javascript:alert(1)'] }] },
		auth,
	);
	expect(bad.status).toBe(400);
	expect(await first.stop('SIGTERM')).toBe(0);

	const second = await spawnServer({ DATA_DIR: dataDir });
	try {
		const again = await request(`${second.url}/api/v1/campaigns/${campaign.body.id}/links`, 'POST', { recipients }, auth);
		expect(again.body.links.map((l: any) => l.code)).toEqual(links.body.links.map((l: any) => l.code));
		const read = await request(`${second.url}/api/v1/campaigns/${campaign.body.id}`, 'GET', undefined, auth);
		expect(read.body.name).toBe('embedded');
	} finally {
		await second.stop();
	}
});

test('when the configuration is invalid, then the server refuses to start and says why', async () => {
	await expect(spawnServer({ PORT: 'eighty', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sms-cfg-')) }, 10_000)).rejects.toThrow(
		/PORT must be a whole number/,
	);
});
