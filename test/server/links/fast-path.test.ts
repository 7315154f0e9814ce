import { startTestServer, type TestServer } from '../../support/server';
import { textArray } from '../../../server/src/links/store';

// Link creation takes a fast path (one plain insert, statement-level campaign checks, a plain
// insert of the recipients' rollup rows) and falls back to the careful one whenever something
// already exists. These tests pin the fall-backs and the campaign reference guarantees.

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({});
});
afterAll(() => server.close());

async function campaign(): Promise<string> {
	const res = await server.api('POST', '/api/v1/campaigns', { name: 'fast path' });
	return res.body.id;
}

const links = (id: string, recipients: unknown[]) => server.api('POST', `/api/v1/campaigns/${id}/links`, { recipients });

test('when a request mixes new links with existing ones, then the existing keep their codes and the new are added', async () => {
	const id = await campaign();
	const first = await links(id, [{ recipient: '+4915100000002', urls: ['https://shop.example/a'] }]);
	const mixed = await links(id, [
		{ recipient: '+4915100000001', urls: ['https://shop.example/a'] },
		{ recipient: '+4915100000002', urls: ['https://shop.example/a'] },
	]);
	expect(mixed.status).toBe(200);
	expect(mixed.body.links.map((l: any) => l.recipient)).toEqual(['+4915100000001', '+4915100000002']);
	expect(mixed.body.links[1].code).toBe(first.body.links[0].code);
	const rows = await server.sql('SELECT count(*)::int AS n FROM links WHERE campaign_id = $1', [id]);
	expect(rows[0].n).toBe(2);
});

test('when a recipient already has a rollup row, then new links for them still count them once', async () => {
	const id = await campaign();
	await links(id, [{ recipient: '+4915100000003', urls: ['https://shop.example/a'] }]);
	const res = await links(id, [{ recipient: '+4915100000003', urls: ['https://shop.example/b'] }, { recipient: '+4915100000004', urls: ['https://shop.example/b'] }]);
	expect(res.status).toBe(200);
	const rows = await server.sql('SELECT recipient FROM stats_recipients WHERE campaign_id = $1 ORDER BY recipient', [id]);
	expect(rows.map((r: any) => r.recipient)).toEqual(['+4915100000003', '+4915100000004']);
	const urls = await server.sql('SELECT url FROM stats_urls WHERE campaign_id = $1 ORDER BY url', [id]);
	expect(urls.map((r: any) => r.url)).toEqual(['https://shop.example/a', 'https://shop.example/b']);
});

test('when a link or rollup row names a campaign that does not exist, then the database refuses it as a foreign key would', async () => {
	await expect(
		server.sql(`INSERT INTO links (code, campaign_id, recipient, destination) VALUES ('zzNoCampaign', 'cmp_missing', '+4915100000005', 'https://shop.example/a')`),
	).rejects.toMatchObject({ code: '23503' });
	await expect(server.sql(`INSERT INTO stats_recipients (campaign_id, recipient) VALUES ('cmp_missing', '+4915100000005')`)).rejects.toMatchObject({ code: '23503' });
	const id = await campaign();
	await links(id, [{ recipient: '+4915100000006', urls: ['https://shop.example/a'] }]);
	await expect(server.sql(`UPDATE links SET campaign_id = 'cmp_missing' WHERE campaign_id = $1`, [id])).rejects.toMatchObject({ code: '23503' });
	await expect(server.sql(`UPDATE campaigns SET id = 'cmp_renamed' WHERE id = $1`, [id])).rejects.toMatchObject({ code: '23503' });
});

test('when a campaign is deleted, then its links and rollup rows go with it', async () => {
	const id = await campaign();
	const other = await campaign();
	await links(id, [{ recipient: '+4915100000007', urls: ['https://shop.example/a'] }]);
	await links(other, [{ recipient: '+4915100000007', urls: ['https://shop.example/a'] }]);
	await server.sql('DELETE FROM campaigns WHERE id = $1', [id]);
	expect(await server.sql('SELECT campaign_id FROM links WHERE campaign_id IN ($1, $2)', [id, other])).toEqual([{ campaign_id: other }]);
	expect(await server.sql('SELECT campaign_id FROM stats_recipients WHERE campaign_id IN ($1, $2)', [id, other])).toEqual([{ campaign_id: other }]);
});

test('when values with quotes, backslashes, commas, braces or NULL are sent as a text array literal, then PostgreSQL reads them back unchanged', async () => {
	const values = ['a"b', 'c\\d', null, 'NULL', '', 'x,y {z}', ' spaced ', 'a"b'];
	const rows = await server.sql('SELECT $1::text[] AS a', [textArray(values)]);
	expect(rows[0].a).toEqual(values);
});
