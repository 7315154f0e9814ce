import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const patch = (id: string, body: unknown) => server.api('PATCH', `/api/v1/campaigns/${id}`, body);
const read = async (id: string) => (await server.api('GET', `/api/v1/campaigns/${id}`)).body;

test('when settings are patched, then only those change and the short links follow the new UTM at once', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ name: 'before', utm: { source: 'sms' }, fallbackUrl: 'https://shop.example/old' },
		[{ recipient: '+4915112345678', urls: ['https://shop.example/p'] }],
	);
	// The redirect has the link (with its old UTM) in its cache before the change.
	expect((await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid })).location).toBe(
		'https://shop.example/p?utm_source=sms',
	);

	const res = await patch(campaignId, {
		name: 'after',
		conversionTracking: true,
		utm: { source: 'newsletter', medium: 'sms' },
		costPerSegment: 0.07,
		currency: 'eur',
	});
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({
		id: campaignId,
		name: 'after',
		conversionTracking: true,
		fallbackUrl: 'https://shop.example/old',
		utm: { source: 'newsletter', medium: 'sms' },
		costPerSegment: 0.07,
		currency: 'EUR',
	});
	expect(await read(campaignId)).toEqual(res.body);

	const location = (await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid }))
		.location!;
	const target = new URL(location);
	expect(target.searchParams.get('utm_source')).toBe('newsletter');
	expect(target.searchParams.get('utm_medium')).toBe('sms');
	expect(target.searchParams.get('sms_cid')).toBeTruthy(); // conversion tracking is now on
});

test('when optional settings are patched to null, then they are cleared', async () => {
	const created = await server.api('POST', '/api/v1/campaigns', {
		name: 'clear me',
		fallbackUrl: 'https://shop.example/f',
		utm: { source: 'sms' },
		costPerSegment: 0.1,
		currency: 'USD',
	});
	const res = await patch(created.body.id, {
		fallbackUrl: null,
		utm: null,
		costPerSegment: null,
		currency: null,
	});
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({
		fallbackUrl: null,
		utm: null,
		costPerSegment: null,
		currency: null,
	});
});

test('when the A/B split of a test that has sent is patched, then 409 variants_in_use and nothing changes', async () => {
	const variants = [
		{ name: 'A', weight: 1 },
		{ name: 'B', weight: 1 },
	];
	const { campaignId } = await createCampaignWithLinks(server, { name: 'running test', variants }, [
		{ recipient: '+4915112345678', urls: ['https://shop.example/p'], variant: 'A' },
	]);
	const before = await read(campaignId);
	const res = await patch(campaignId, {
		name: 'renamed with the split',
		variants: [
			{ name: 'A', weight: 9 },
			{ name: 'B', weight: 1 },
		],
	});
	expect(res.status).toBe(409);
	expect(res.body.error.code).toBe('variants_in_use');
	expect(res.body.error.message).toMatch(/already sent variants A \(1\), B \(1\)/);
	expect(await read(campaignId)).toEqual(before);

	// The same split again is no change, so it passes with the rest of the update.
	const same = await patch(campaignId, { name: 'renamed', variants, holdout: 0 });
	expect(same.status).toBe(200);
	expect(same.body.name).toBe('renamed');
});

test('when the A/B split of a test that has not sent yet is patched, then it changes', async () => {
	const created = await server.api('POST', '/api/v1/campaigns', {
		name: 'draft test',
		variants: [{ name: 'A' }, { name: 'B' }],
	});
	const res = await patch(created.body.id, {
		variants: [
			{ name: 'X', weight: 2 },
			{ name: 'Y', weight: 1 },
		],
		holdout: 0.1,
	});
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({
		variants: [
			{ name: 'X', weight: 2 },
			{ name: 'Y', weight: 1 },
		],
		holdout: 0.1,
	});
});

test.each([
	['an empty body', {}, 400, /names nothing to change/],
	['an unknown field', { nmae: 'x' }, 400, /unknown field\(s\): nmae/],
	['an empty name', { name: ' ' }, 400, /name is required/],
	['a fallback that is not http(s)', { fallbackUrl: 'javascript:alert(1)' }, 400, /fallbackUrl/],
	[
		'conversion tracking as text',
		{ conversionTracking: 'yes' },
		400,
		/conversionTracking must be true or false/,
	],
	[
		'a cost without a currency',
		{ costPerSegment: 0.1 },
		400,
		/currency is required with costPerSegment/,
	],
	['an unknown currency', { currency: 'EURO' }, 400, /ISO 4217/],
	['a hold-out without variants', { holdout: 0.2 }, 400, /variants is required/],
	[
		'an unknown UTM key',
		{ utm: { source: 'a', ref: 'b' } },
		400,
		/utm has unknown field\(s\): ref/,
	],
])(
	'when a patch has %s, then a clear 4xx and nothing changes',
	async (_case, body, status, message) => {
		const created = await server.api('POST', '/api/v1/campaigns', {
			name: 'untouched',
			fallbackUrl: 'https://shop.example/f',
		});
		// A valid change beside the bad one: it must not be applied either.
		const res = await patch(
			created.body.id,
			Object.keys(body).length ? { name: 'changed?', ...body } : body,
		);
		expect(res.status).toBe(status);
		expect(res.body.error.message).toMatch(message);
		expect(await read(created.body.id)).toEqual(created.body);
	},
);

test('when an unknown campaign is patched, then 404 campaign_not_found', async () => {
	const res = await patch('cmp_doesnotexist', { name: 'x' });
	expect(res.status).toBe(404);
	expect(res.body.error.code).toBe('campaign_not_found');
});
