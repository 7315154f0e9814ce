import { randomBytes } from 'node:crypto';
import { runNode } from '../../support/n8n';
import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';

const serverFallback = 'https://shop.example/gone';
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ FALLBACK_URL: serverFallback });
});
afterAll(() => server.close());

const credentials = () => ({ smsTrackingApi: { baseUrl: server.url, apiKey: server.apiKey } });
const uniqueTag = () => `life${randomBytes(4).toString('hex')}`;
const picked = (id: string) => ({ __rl: true, mode: 'list', value: id });

const campaignOp = (operation: string, parameters: Record<string, unknown>) =>
	runNode({
		parameters: { resource: 'campaign', operation, ...parameters } as never,
		items: [{}],
		credentials: credentials(),
	});
const jsonOf = (run: Awaited<ReturnType<typeof campaignOp>>) => {
	expect(run.error).toBeUndefined();
	return run.outputs[0].map((item) => item.json);
};
const readCampaign = async (id: string) =>
	(await server.api('GET', `/api/v1/campaigns/${id}`)).body;

test('when campaigns are got with a name filter and a limit, then the newest matching ones come, one item each', async () => {
	const tag = uniqueTag();
	for (const n of [1, 2, 3])
		await server.api('POST', '/api/v1/campaigns', { name: `${tag} order ${n}` });
	await server.api('POST', '/api/v1/campaigns', { name: `other ${uniqueTag()}` });
	const run = await campaignOp('getAll', { limit: 2, filters: { search: tag.toUpperCase() } });
	expect(jsonOf(run).map((c) => c.name)).toEqual([`${tag} order 3`, `${tag} order 2`]);
});

test('when all campaigns are got, then every page is read (more than the server gives at once)', async () => {
	const tag = uniqueTag();
	await server.sql(
		`INSERT INTO campaigns (id, name, created_at)
		 SELECT 'cmp_' || $1 || n, $1 || ' bulk', now() - n * interval '1 second' FROM generate_series(1, 620) AS n`,
		[tag],
	);
	const run = await campaignOp('getAll', { returnAll: true, filters: { search: tag } });
	const ids = jsonOf(run).map((c) => c.id);
	expect(ids).toHaveLength(620);
	expect(new Set(ids).size).toBe(620);
});

test('when campaigns are got by status and creation time, then archived ones show only when asked for', async () => {
	const tag = uniqueTag();
	const old = (await server.api('POST', '/api/v1/campaigns', { name: `${tag} old` })).body.id;
	const current = (await server.api('POST', '/api/v1/campaigns', { name: `${tag} current` })).body
		.id;
	await server.sql(`UPDATE campaigns SET created_at = '2025-03-01T12:00:00Z' WHERE id = $1`, [old]);

	expect(jsonOf(await campaignOp('archive', { campaignId: picked(old) }))[0].archivedAt).toEqual(
		expect.any(String),
	);
	const active = await campaignOp('getAll', { returnAll: true, filters: { search: tag } });
	expect(jsonOf(active).map((c) => c.id)).toEqual([current]);
	const archived = await campaignOp('getAll', {
		returnAll: true,
		filters: { search: tag, status: 'archived' },
	});
	expect(jsonOf(archived).map((c) => c.id)).toEqual([old]);
	const inMarch = await campaignOp('getAll', {
		returnAll: true,
		filters: {
			search: tag,
			status: 'all',
			createdFrom: '2025-03-01T00:00:00',
			createdTo: '2025-03-31T00:00:00',
		},
	});
	expect(jsonOf(inMarch).map((c) => c.id)).toEqual([old]);

	jsonOf(await campaignOp('unarchive', { campaignId: picked(old) }));
	const again = await campaignOp('getAll', { returnAll: true, filters: { search: tag } });
	expect(jsonOf(again).map((c) => c.id)).toEqual([current, old]);
});

test('when a campaign is updated, then conversion tracking turns on, the fallback clears and UTM keeps what was not named', async () => {
	const created = await server.api('POST', '/api/v1/campaigns', {
		name: 'update me',
		fallbackUrl: 'https://shop.example/f',
		utm: { source: 'sms', medium: 'text' },
	});
	const run = await campaignOp('update', {
		campaignId: picked(created.body.id),
		updateFields: {
			name: 'updated',
			conversionTracking: true,
			fallbackUrl: '',
			utmMedium: 'sms',
			utmCampaign: 'spring',
			costPerSegment: 0.08,
			currency: 'chf',
		},
	});
	const expected = {
		id: created.body.id,
		name: 'updated',
		conversionTracking: true,
		fallbackUrl: null,
		utm: { source: 'sms', medium: 'sms', campaign: 'spring' },
		costPerSegment: 0.08,
		currency: 'CHF',
	};
	expect(jsonOf(run)[0]).toMatchObject(expected);
	expect(await readCampaign(created.body.id)).toMatchObject(expected);
});

test('when an update names nothing to change, then the node says so and the campaign stays as it was', async () => {
	const created = await server.api('POST', '/api/v1/campaigns', { name: 'unchanged' });
	const run = await campaignOp('update', { campaignId: picked(created.body.id), updateFields: {} });
	expect(run.error?.message).toBe('Add at least one field to update');
	expect(await readCampaign(created.body.id)).toEqual(created.body);
});

test('when an update sets a cost without any currency, then the server refuses it and nothing changes', async () => {
	const created = await server.api('POST', '/api/v1/campaigns', { name: 'no currency' });
	const run = await campaignOp('update', {
		campaignId: picked(created.body.id),
		updateFields: { name: 'renamed', costPerSegment: 0.1 },
	});
	expect(run.error?.message).toMatch(/currency is required with costPerSegment/);
	expect(await readCampaign(created.body.id)).toEqual(created.body);
});

test('when Delete runs without its confirmation, then nothing is deleted and the error says which switch to turn on', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(server, { name: 'keep me' }, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/p'] },
	]);
	const run = await campaignOp('delete', { campaignId: picked(campaignId) });
	expect(run.error?.message).toMatch(
		/Nothing was deleted: turn on "Delete Campaign and All Its Data"/,
	);
	expect((await server.api('GET', `/api/v1/campaigns/${campaignId}`)).status).toBe(200);
	expect((await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid })).location).toBe(
		'https://shop.example/p',
	);
});

test('when Delete runs confirmed, then the campaign and its links are gone and its short links go to the fallback', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(server, { name: 'delete me' }, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/p'] },
	]);
	expect((await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid })).location).toBe(
		'https://shop.example/p',
	);
	const run = await campaignOp('delete', {
		campaignId: picked(campaignId),
		deleteCampaignAndAllItsData: true,
	});
	expect(jsonOf(run)[0]).toMatchObject({ deleted: true, id: campaignId, links: 1 });
	expect((await server.api('GET', `/api/v1/campaigns/${campaignId}`)).status).toBe(404);
	expect((await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid })).location).toBe(
		serverFallback,
	);
});

test('when Create finds a campaign of the same name, then "Return It" returns it and "Fail" stops naming it', async () => {
	const name = `${uniqueTag()} order confirmation`;
	const first = jsonOf(await campaignOp('create', { name, ifNameExists: 'return' }))[0];
	const again = jsonOf(await campaignOp('create', { name, ifNameExists: 'return' }))[0];
	expect(again).toEqual(first);
	const failed = await campaignOp('create', { name, ifNameExists: 'fail' });
	expect(failed.error?.message).toContain(`already exists: ${String(first.id)}`);
	const another = jsonOf(await campaignOp('create', { name }))[0];
	expect(another.id).not.toBe(first.id);
});
