import { randomBytes } from 'node:crypto';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const idsListed = async (query: string) =>
	(
		(await server.api('GET', `/api/v1/campaigns?${query}`)).body.campaigns as Array<{ id: string }>
	).map((c) => c.id);

test('when a campaign is archived, then it leaves the default list, is listed with status=archived, and its links keep redirecting', async () => {
	const tag = `arch${randomBytes(4).toString('hex')}`;
	const { campaignId, codes } = await createCampaignWithLinks(server, { name: `old ${tag}` }, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/p'] },
	]);
	const active = await server.api('POST', '/api/v1/campaigns', { name: `new ${tag}` });

	const res = await server.api('POST', `/api/v1/campaigns/${campaignId}/archive`);
	expect(res.status).toBe(200);
	expect(res.body.archivedAt).toEqual(expect.any(String));

	expect(await idsListed(`search=${tag}`)).toEqual([active.body.id]);
	expect(await idsListed(`search=${tag}&status=archived`)).toEqual([campaignId]);
	expect(await idsListed(`search=${tag}&status=all`)).toEqual([active.body.id, campaignId]);
	expect((await server.api('GET', `/api/v1/campaigns/${campaignId}`)).body.archivedAt).toBe(
		res.body.archivedAt,
	);

	const click = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
	expect(click.status).toBe(302);
	expect(click.location).toBe('https://shop.example/p');

	// Archiving again keeps the first time; unarchiving brings it back into the list.
	expect(
		(await server.api('POST', `/api/v1/campaigns/${campaignId}/archive`)).body.archivedAt,
	).toBe(res.body.archivedAt);
	const back = await server.api('POST', `/api/v1/campaigns/${campaignId}/unarchive`);
	expect(back.status).toBe(200);
	expect(back.body.archivedAt).toBeNull();
	expect(await idsListed(`search=${tag}`)).toEqual([active.body.id, campaignId]);
});

test('when an unknown campaign is archived, then 404 campaign_not_found', async () => {
	const res = await server.api('POST', '/api/v1/campaigns/cmp_doesnotexist/archive');
	expect(res.status).toBe(404);
	expect(res.body.error.code).toBe('campaign_not_found');
});

test('when archive is sent a body, then 400 and the campaign stays active', async () => {
	const created = await server.api('POST', '/api/v1/campaigns', { name: 'with body' });
	const res = await server.api('POST', `/api/v1/campaigns/${created.body.id}/archive`, {
		archived: false,
	});
	expect(res.status).toBe(400);
	expect(res.body.error.message).toMatch(/takes no body/);
	expect(
		(await server.api('GET', `/api/v1/campaigns/${created.body.id}`)).body.archivedAt,
	).toBeNull();
});
