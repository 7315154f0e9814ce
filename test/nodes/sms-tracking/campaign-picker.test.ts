import { randomBytes } from 'node:crypto';
import { runListSearch, runNode } from '../../support/n8n';
import { startTestServer, type TestServer } from '../../support/server';
import { createCampaignWithLinks } from '../../support/short-links';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const credentials = () => ({ smsTrackingApi: { baseUrl: server.url, apiKey: server.apiKey } });
const uniqueTag = () => `pick${randomBytes(4).toString('hex')}`;

async function createCampaign(name: string): Promise<string> {
	const res = await server.api('POST', '/api/v1/campaigns', { name });
	expect(res.status).toBe(201);
	return res.body.id;
}

const getCampaign = (campaignId: unknown) =>
	runNode({
		parameters: { resource: 'campaign', operation: 'get', campaignId } as never,
		items: [{}],
		credentials: credentials(),
	});

test("when the picker's list is searched, then active campaigns matching the text come newest first with their dashboard URL", async () => {
	const tag = uniqueTag();
	const older = await createCampaign(`${tag} Black Friday`);
	const newer = await createCampaign(`${tag} black friday reminder`);
	const archived = await createCampaign(`${tag} Black Friday archived`);
	await createCampaign(`${tag} Cyber Monday`);
	await server.api('POST', `/api/v1/campaigns/${archived}/archive`);

	const result = await runListSearch('searchCampaigns', credentials(), ` ${tag} BLACK FRIDAY `);
	expect(result.results).toEqual([
		{
			name: `${tag} black friday reminder`,
			value: newer,
			url: `${server.url}/dashboard/#/campaigns/${newer}`,
		},
		{
			name: `${tag} Black Friday`,
			value: older,
			url: `${server.url}/dashboard/#/campaigns/${older}`,
		},
	]);
	expect(result.paginationToken).toBeUndefined();
});

test("when more campaigns match than one page holds, then the picker's pagination token brings the rest", async () => {
	const tag = uniqueTag();
	await server.sql(
		`INSERT INTO campaigns (id, name, created_at)
		 SELECT 'cmp_' || $1 || n, 'bulk ' || $1 || ' ' || n, now() - n * interval '1 second'
		 FROM generate_series(1, 130) AS n`,
		[tag],
	);
	const first = await runListSearch('searchCampaigns', credentials(), tag);
	expect(first.results).toHaveLength(100);
	expect(first.paginationToken).toBe(`cmp_${tag}100`);
	const second = await runListSearch('searchCampaigns', credentials(), tag, first.paginationToken);
	expect(second.results.map((r) => r.value)).toEqual(
		Array.from({ length: 30 }, (_, i) => `cmp_${tag}${101 + i}`),
	);
	expect(second.paginationToken).toBeUndefined();
});

test('when a workflow saved before the picker holds a plain campaign id, then the operation still reads it', async () => {
	const id = await createCampaign('saved before the picker');
	const run = await getCampaign(` ${id} `);
	expect(run.error).toBeUndefined();
	expect(run.outputs[0][0].json).toMatchObject({ id, name: 'saved before the picker' });
});

test.each([
	[
		'from the list',
		(id: string) => ({ __rl: true, mode: 'list', value: id, cachedResultName: 'x' }),
	],
	['by ID, typed with spaces', (id: string) => ({ __rl: true, mode: 'id', value: `  ${id} ` })],
	[
		'by the URL of its dashboard page',
		(id: string) => ({
			__rl: true,
			mode: 'url',
			value: `https://track.example.com/dashboard/#/campaigns/${id}`,
		}),
	],
])('when the campaign is picked %s, then the operation works on it', async (_how, locator) => {
	const id = await createCampaign('picked');
	const run = await getCampaign(locator(id));
	expect(run.error).toBeUndefined();
	expect(run.outputs[0][0].json).toMatchObject({ id, name: 'picked' });
});

test('when the picked campaign does not exist (any more), then the error names it', async () => {
	const run = await getCampaign({ __rl: true, mode: 'list', value: 'cmp_deletedlongago' });
	expect(run.outputs).toEqual([]);
	expect(run.error?.message).toBe(
		'Campaign cmp_deletedlongago does not exist (campaign_not_found)',
	);
});

test('when no campaign is picked, then n8n refuses to run the node and names the parameter', async () => {
	await expect(getCampaign({ __rl: true, mode: 'list', value: '' })).rejects.toThrow(
		/Parameter "Campaign" is required/,
	);
});

test('when the URL is not the dashboard page of a campaign, then n8n refuses to run the node and says what URL it wants', async () => {
	await expect(
		getCampaign({ __rl: true, mode: 'url', value: 'https://track.example.com/dashboard/' }),
	).rejects.toThrow("Not a campaign's dashboard URL (…/dashboard/#/campaigns/cmp_…)");
});

test('when the ID typed is not a campaign ID, then n8n refuses to run the node and says what an ID looks like', async () => {
	await expect(getCampaign({ __rl: true, mode: 'id', value: 'Black Friday' })).rejects.toThrow(
		'A campaign ID starts with cmp_',
	);
});

test('when Conversion → Track names its campaign through the picker, then the conversion is recorded in that campaign', async () => {
	const { campaignId } = await createCampaignWithLinks(server, { name: 'conversion pick' }, [
		{ recipient: '+4915100000077', urls: ['https://shop.example/p'] },
	]);
	const run = await runNode({
		parameters: {
			resource: 'conversion',
			operation: 'track',
			attributeBy: 'recipient',
			conversionCampaignId: {
				__rl: true,
				mode: 'url',
				value: `${server.url}/dashboard/#/campaigns/${campaignId}`,
			},
			conversionRecipient: '+4915100000077',
			conversionName: 'order',
		} as never,
		items: [{}],
		credentials: credentials(),
	});
	expect(run.error).toBeUndefined();
	const stored = await server.sql(
		"SELECT campaign_id FROM events WHERE type = 'conversion' AND recipient = $1",
		['+4915100000077'],
	);
	expect(stored).toEqual([{ campaign_id: campaignId }]);
});
