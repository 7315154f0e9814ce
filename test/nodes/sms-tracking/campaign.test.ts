import { runNode } from '../../support/n8n';
import { abSendParameters, phoneItems, useServerAndSeven } from '../../support/node-workflows';
import { chromeOnAndroid, hit } from '../../support/short-links';

const env = useServerAndSeven();

const campaignOp = (
	operation: string,
	parameters: Record<string, unknown>,
	items: Array<Record<string, unknown>> = [{}],
	continueOnFail = false,
) =>
	runNode({
		parameters: { resource: 'campaign', operation, ...parameters },
		items,
		credentials: env.credentials(),
		continueOnFail,
	});
const phones = (n: number, offset = 0) =>
	Array.from({ length: n }, (_, i) => `+49152${String(30_000_000 + offset + i)}`);

/** Recipients open their short link in a phone's browser: the redirect records each click. */
async function click(campaignId: string, recipients: string[]) {
	for (const recipient of recipients) {
		const [link] = await env.server.sql(
			'SELECT code, destination FROM links WHERE campaign_id = $1 AND recipient = $2',
			[campaignId, recipient],
		);
		const res = await hit(`${env.server.url}/${link.code}`, { userAgent: chromeOnAndroid });
		expect(res.location).toBe(link.destination);
	}
}

test('when a campaign is created and read, then the node returns it with its settings', async () => {
	const created = await campaignOp('create', {
		name: 'Black Friday',
		additionalFields: {
			conversionTracking: true,
			costPerSegment: 0.07,
			currency: 'eur',
			utmSource: 'sms',
		},
	});
	expect(created.error).toBeUndefined();
	const campaign = created.outputs[0][0].json;
	expect(campaign).toMatchObject({
		name: 'Black Friday',
		conversionTracking: true,
		costPerSegment: 0.07,
		currency: 'EUR',
		utm: { source: 'sms' },
	});
	const read = await campaignOp('get', { campaignId: campaign.id });
	expect(read.outputs[0][0].json).toEqual(campaign);
});

test('when an A/B send gets more clicks on B, then Get Stats shows it, Get Recipients filters clickers, and Pick Winner names B', async () => {
	const id = (await campaignOp('create', { name: 'ab' })).outputs[0][0].json.id as string;
	const recipients = phones(400);
	const send = await runNode({
		parameters: abSendParameters(
			id,
			{ A: 'A https://shop.example/', B: '=B {{ $json.phone.slice(-2) }} https://shop.example/' },
			{ holdoutPercent: 10 },
		),
		items: phoneItems(recipients),
		credentials: env.credentials(),
	});
	expect(send.error).toBeUndefined();
	const byVariant = (v: string) =>
		send.outputs[0].filter((o) => o.json.variant === v).map((o) => o.json.recipient as string);
	const a = byVariant('A');
	const b = byVariant('B');
	await click(id, [...a.slice(0, 5), ...b.slice(0, 60)]);

	const stats = (
		await campaignOp('getStats', { campaignId: id, statsOptions: { timeZone: 'Europe/Berlin' } })
	).outputs[0][0].json as any;
	expect(stats.totals).toMatchObject({ sent: a.length + b.length, clicks: 65, uniqueClickers: 65 });
	expect(stats.variants.find((v: any) => v.variant === 'B')).toMatchObject({
		sent: b.length,
		uniqueClickers: 60,
	});

	const clickers = await campaignOp('getRecipients', {
		campaignId: id,
		returnAll: true,
		filters: { clicked: 'true', variant: 'A' },
	});
	expect(clickers.outputs[0].map((o) => o.json.recipient).sort()).toEqual(a.slice(0, 5).sort());
	const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
	const inLastHour = await campaignOp('getRecipients', {
		campaignId: id,
		returnAll: true,
		filters: { clicked: 'true', variant: 'A', from: hourAgo },
	});
	expect(inLastHour.outputs[0].map((o) => [o.json.recipient, o.json.clicks]).sort()).toEqual(
		a.slice(0, 5).sort().map((r) => [r, 1]),
	);
	const beforeAnyClick = await campaignOp('getRecipients', {
		campaignId: id,
		returnAll: true,
		filters: { clicked: 'true', from: new Date(Date.now() - 86_400_000).toISOString(), to: hourAgo },
	});
	expect(beforeAnyClick.error).toBeUndefined();
	expect(beforeAnyClick.outputs[0] ?? []).toEqual([]);
	const held = await campaignOp('getRecipients', {
		campaignId: id,
		returnAll: false,
		limit: 3,
		filters: { variant: 'holdout' },
	});
	expect(held.outputs[0]).toHaveLength(3);
	expect(held.outputs[0].every((o) => o.json.variant === 'holdout')).toBe(true);

	const winner = (
		await campaignOp('pickWinner', {
			campaignId: id,
			metric: 'ctr',
			winnerOptions: { minSamplePerVariant: 50, record: true },
		})
	).outputs[0][0].json;
	expect(winner).toMatchObject({
		metric: 'ctr',
		winner: 'B',
		leader: 'B',
		runnerUp: 'A',
		significant: true,
		minSampleReached: true,
		recorded: true,
		// the winning text as written in Send (an expression as its template), not typed again
		winnerText: 'B {{ $json.phone.slice(-2) }} https://shop.example/',
	});
	expect(winner.pValue as number).toBeLessThan(0.05);
});

test('when all recipients are asked for, then the node follows the cursor across pages', async () => {
	const id = (await campaignOp('create', { name: 'pages' })).outputs[0][0].json.id as string;
	const list = phones(1005, 5000);
	await env.server.api('POST', `/api/v1/campaigns/${id}/messages`, {
		messages: list.map((recipient, i) => ({
			recipient,
			provider: 'seven',
			providerMessageId: `${id}-${i}`,
			status: 'sent',
		})),
	});
	const all = await campaignOp('getRecipients', { campaignId: id, returnAll: true, filters: {} });
	expect(all.outputs[0]).toHaveLength(1005);
	expect(new Set(all.outputs[0].map((o) => o.json.recipient)).size).toBe(1005);
	const some = await campaignOp('getRecipients', {
		campaignId: id,
		returnAll: false,
		limit: 7,
		filters: {},
	});
	expect(some.outputs[0]).toHaveLength(7);
});

test('when one item names an unknown campaign under Continue On Fail, then it becomes an error item and the next still runs', async () => {
	const id = (await campaignOp('create', { name: 'cof' })).outputs[0][0].json.id as string;
	const run = await campaignOp(
		'get',
		{ campaignId: '={{ $json.id }}' },
		[{ id: 'cmp_missing' }, { id }],
		true,
	);
	expect(run.outputs[0].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	expect(run.outputs[0][0].json.error).toBe(
		'Campaign cmp_missing does not exist (campaign_not_found)',
	);
	expect(run.outputs[0][1].json.id).toBe(id);
});
