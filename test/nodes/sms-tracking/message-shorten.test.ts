import { startCountingProxy, type CountingProxy } from '../../support/counting-proxy';
import { runNode } from '../../support/n8n';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let proxy: CountingProxy;
beforeAll(async () => {
	server = await startTestServer({ PUBLIC_BASE_URL: 'https://go.example' });
	proxy = await startCountingProxy(server.url);
});
afterAll(async () => {
	await proxy.close();
	await server.close();
});

const campaign = async () =>
	(await server.api('POST', '/api/v1/campaigns', { name: 'shorten' })).body.id as string;
const shorten = (
	campaignId: string,
	items: Array<Record<string, unknown>>,
	options: Record<string, unknown> = {},
	continueOnFail = false,
) =>
	runNode({
		parameters: {
			resource: 'message',
			operation: 'shorten',
			campaignId,
			recipient: '={{ $json.phone }}',
			text: '={{ $json.text }}',
			options,
		},
		items,
		credentials: { smsTrackingApi: { baseUrl: proxy.url, apiKey: server.apiKey } },
		continueOnFail,
	});

test('when items are shortened, then each recipient gets its own short links in the rewritten text, with counts', async () => {
	const id = await campaign();
	const run = await shorten(id, [
		{ phone: '+4915100000001', text: 'Hi Ann, sale: https://shop.example/sale.' },
		{
			phone: '+4915100000002',
			text: 'Hi Bob (https://shop.example/sale) and https://shop.example/b',
		},
	]);
	expect(run.error).toBeUndefined();
	const [first, second] = run.outputs[0];
	expect(first.pairedItem).toEqual({ item: 0 });
	expect(first.json).toMatchObject({
		campaignId: id,
		recipient: '+4915100000001',
		originalText: 'Hi Ann, sale: https://shop.example/sale.',
		encoding: 'GSM-7',
		segmentsBefore: 1,
		segments: 1,
		charactersBefore: 40,
		warnings: [],
	});
	const [link] = first.json.links as Array<{ url: string; shortUrl: string; code: string }>;
	expect(link.url).toBe('https://shop.example/sale');
	expect(link.shortUrl).toBe(`https://go.example/${link.code}`);
	expect(first.json.text).toBe(`Hi Ann, sale: https://go.example/${link.code}.`);
	expect(first.json.characters).toBe((first.json.text as string).length);
	const secondLinks = second.json.links as Array<{ code: string }>;
	expect(secondLinks).toHaveLength(2);
	expect(secondLinks[0].code).not.toBe(link.code);
	expect(second.json.warnings).toEqual([expect.stringContaining('not at the end')]);
	const rows = await server.sql(
		'SELECT code, recipient, destination FROM links WHERE campaign_id = $1 ORDER BY recipient, link_index',
		[id],
	);
	expect(rows.map((r: any) => r.code)).toEqual([link.code, ...secondLinks.map((l) => l.code)]);
});

test('when the same items run again, then the same codes come back and no link is added', async () => {
	const id = await campaign();
	const items = [{ phone: '+4915100000001', text: 'https://shop.example/x' }];
	const first = await shorten(id, items);
	const second = await shorten(id, items);
	expect(second.outputs[0][0].json.text).toBe(first.outputs[0][0].json.text);
	const [{ count }] = await server.sql(
		'SELECT count(*)::int AS count FROM links WHERE campaign_id = $1',
		[id],
	);
	expect(count).toBe(1);
});

test('when 6,000 items are shortened, then the links are created in three batched calls', async () => {
	const id = await campaign();
	const items = Array.from({ length: 6000 }, (_, i) => ({
		phone: `+49151${String(10_000_000 + i)}`,
		text: `Offer ${i}: https://shop.example/p/${i % 7}`,
	}));
	const before = proxy.count('POST', /\/links$/);
	const run = await shorten(id, items);
	expect(run.error).toBeUndefined();
	expect(run.outputs[0]).toHaveLength(6000);
	expect(proxy.count('POST', /\/links$/) - before).toBe(3);
	const codes = new Set(
		run.outputs[0].map((o) => (o.json.links as Array<{ code: string }>)[0].code),
	);
	expect(codes.size).toBe(6000);
});

test('when https:// is omitted, then the short link is written without it', async () => {
	const id = await campaign();
	const run = await shorten(id, [{ phone: '+4915100000001', text: 'See https://shop.example/a' }], {
		omitHttps: true,
	});
	const [link] = run.outputs[0][0].json.links as Array<{ code: string }>;
	expect(run.outputs[0][0].json.text).toBe(`See go.example/${link.code}`);
});

test('when a short link would add a segment and the original may be kept, then the short original stays and a warning says so', async () => {
	const id = await campaign();
	// 150 characters + a 15-character link = 158 septets; the 27-character short link would make 2 segments.
	const text = `${'a'.repeat(143)} https://x.co/a`;
	const kept = await shorten(id, [{ phone: '+4915100000001', text }], {
		keepOriginalIfLonger: true,
	});
	expect(kept.outputs[0][0].json).toMatchObject({ text, segments: 1, segmentsBefore: 1 });
	expect((kept.outputs[0][0].json.links as Array<{ shortened: boolean }>)[0].shortened).toBe(false);
	expect(kept.outputs[0][0].json.warnings).toEqual([
		expect.stringContaining('Kept the original link https://x.co/a'),
	]);

	const grown = await shorten(id, [{ phone: '+4915100000001', text }]);
	expect(grown.outputs[0][0].json).toMatchObject({ segments: 2, segmentsBefore: 1 });
	expect(grown.outputs[0][0].json.warnings).toEqual([
		expect.stringContaining('Shortening adds 1 segment(s): 1 → 2'),
	]);
});

test('when bare www links are enabled, then they are shortened to https destinations', async () => {
	const id = await campaign();
	const run = await shorten(id, [{ phone: '0151 00000001', text: 'Visit www.shop.example/sale' }], {
		bareWww: true,
		defaultCallingCode: '49',
	});
	expect(run.outputs[0][0].json.recipient).toBe('+4915100000001');
	expect((run.outputs[0][0].json.links as Array<{ url: string }>)[0].url).toBe(
		'https://www.shop.example/sale',
	);
});

test('when a recipient is invalid, then the node fails with that item index', async () => {
	const id = await campaign();
	const run = await shorten(id, [
		{ phone: '+4915100000001', text: 'https://shop.example/a' },
		{ phone: 'not a phone', text: 'https://shop.example/a' },
	]);
	expect(run.error?.message).toContain('Invalid recipient');
	expect(run.error?.context?.itemIndex).toBe(1);
	expect(run.error?.name).toBe('NodeOperationError');
});

test('when Continue On Fail is on, then bad items become error items and the others are shortened', async () => {
	const id = await campaign();
	const run = await shorten(
		id,
		[
			{ phone: '+4915100000001', text: '' },
			{ phone: '+4915100000002', text: 'https://shop.example/a' },
			{ phone: '12', text: 'https://shop.example/a' },
		],
		{},
		true,
	);
	expect(run.error).toBeUndefined();
	const out = run.outputs[0];
	expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(out[0].json.error).toBe('The text is empty');
	expect(out[1].json.links).toHaveLength(1);
	expect(out[2].json.error).toContain('Invalid recipient');
});

test('when the campaign does not exist, then the node fails with the server message', async () => {
	const run = await shorten('cmp_missing', [
		{ phone: '+4915100000001', text: 'https://shop.example/a' },
	]);
	expect(run.error?.name).toBe('NodeApiError');
	expect(run.error?.message).toBe('Campaign cmp_missing does not exist (campaign_not_found)');
	expect(run.error?.context?.itemIndex).toBe(0);
});

describe('checking destinations', () => {
	let landing: import('node:http').Server;
	let base: string;
	const hits: string[] = [];
	beforeAll(async () => {
		const { createServer } = await import('node:http');
		landing = createServer((req, res) => {
			hits.push(req.url ?? '');
			if (req.url === '/ok') res.writeHead(200).end('shop');
			else if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
			else res.writeHead(404).end('gone');
		});
		await new Promise<void>((resolve) => landing.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(landing.address() as import('node:net').AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => landing.close(() => resolve())));

	test('when warning is asked for, then each destination is requested once and items with a broken page carry a warning', async () => {
		const id = await campaign();
		hits.length = 0;
		const items = [
			{ phone: '+4915100000001', text: `Shop ${base}/ok` },
			{ phone: '+4915100000002', text: `Shop ${base}/moved` },
			{ phone: '+4915100000003', text: `Shop ${base}/missing` },
			{ phone: '+4915100000004', text: `Shop ${base}/missing` },
		];
		const run = await shorten(id, items, { checkDestinations: 'warn' });
		expect(run.error).toBeUndefined();
		expect(hits.filter((h) => h === '/missing')).toHaveLength(1);
		expect(hits.filter((h) => h === '/moved')).toHaveLength(1);
		const warnings = run.outputs[0].map((o) => o.json.warnings);
		expect(warnings[0]).toEqual([]);
		expect(warnings[1]).toEqual([]);
		expect(warnings[2]).toEqual([`The destination ${base}/missing answered HTTP 404`]);
		expect(run.outputs[0][3].json.links).toHaveLength(1);
	});

	test('when failing is asked for, then items with a broken page fail before any link is created for them', async () => {
		const id = await campaign();
		const items = [
			{ phone: '+4915100000001', text: `Shop ${base}/ok` },
			{ phone: '+4915100000002', text: `Shop ${base}/missing` },
		];
		const failing = await shorten(id, items, { checkDestinations: 'fail' });
		expect(failing.error?.name).toBe('NodeOperationError');
		expect(failing.error?.context?.itemIndex).toBe(1);
		const tolerant = await shorten(id, items, { checkDestinations: 'fail' }, true);
		expect(tolerant.outputs[0][1].json.error).toBe(
			`The destination ${base}/missing answered HTTP 404`,
		);
		const rows = await server.sql('SELECT recipient FROM links WHERE campaign_id = $1', [id]);
		expect(rows).toEqual([{ recipient: '+4915100000001' }]);
	});
});
