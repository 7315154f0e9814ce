import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeParameters } from 'n8n-workflow';
import { assignVariant } from '../../../server/src/campaigns/assign-variant';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';
import { runNode } from '../../support/n8n';
import {
	abSendParameters,
	newCampaign,
	phoneItems,
	useServerAndSeven,
} from '../../support/node-workflows';
import { chromeOnAndroid, hit } from '../../support/short-links';
import { waitFor } from '../../support/wait';

/**
 * Send in Mode "Winning Variant → Hold-Out": the campaign's recorded winner and its stored text go
 * to exactly the hold-out recipients the wave "Winner" has not reached, read from the server, so
 * one node does the whole follow-up of an A/B test and a re-run sends nobody twice.
 */
const env = useServerAndSeven();
let twilio: FakeTwilio;
beforeAll(async () => {
	twilio = await startFakeTwilio();
});
afterAll(() => twilio.close());
afterEach(() => {
	expect(env.seven.violations).toEqual([]);
	expect(twilio.violations).toEqual([]);
});

const texts = {
	A: 'Spring sale: 20% off https://shop.example/a',
	B: 'Only today https://shop.example/b',
};
const split = [
	{ name: 'A', weight: 1 },
	{ name: 'B', weight: 1 },
];
const phones = (n: number, offset: number) =>
	Array.from({ length: n }, (_, i) => `+49151${String(30_000_000 + offset + i)}`);

/**
 * An A/B send with a 50 % hold-out to four recipients of A, four of B and six of the hold-out,
 * picked from a pool by the assignment the server makes for this campaign (so the group sizes do
 * not depend on the random campaign id).
 */
async function abTest(name: string, offset: number) {
	const campaignId = await newCampaign(env.server, name);
	const variantOf = (r: string) => assignVariant(campaignId, r, split, 0.5);
	const wanted: Record<string, number> = { A: 4, B: 4, holdout: 6 };
	const recipients = phones(100, offset).filter((r) => wanted[variantOf(r)]-- > 0);
	expect(recipients).toHaveLength(14);
	const run = await runNode({
		parameters: abSendParameters(campaignId, texts, { holdoutPercent: 50, wave: 'Initial' }),
		items: phoneItems(recipients),
		credentials: env.credentials(),
	});
	expect(run.error).toBeUndefined();
	const codes = new Map(
		run.outputs[0].map((o) => [
			o.json.recipient as string,
			(o.json.links as Array<{ code: string }>)[0].code,
		]),
	);
	const of = (variant: string) => recipients.filter((r) => variantOf(r) === variant);
	const clickAll = async (variant: string) => {
		for (const r of of(variant))
			expect(
				(await hit(`${env.server.url}/${codes.get(r)}`, { userAgent: chromeOnAndroid })).status,
			).toBe(302);
	};
	return { campaignId, holdout: of('holdout'), clickAll };
}

const sendWinner = (campaignId: string, parameters: INodeParameters = {}, continueOnFail = false) =>
	runNode({
		parameters: {
			resource: 'message',
			operation: 'send',
			sendMode: 'winnerToHoldout',
			campaignId,
			provider: 'seven',
			from: 'MyShop',
			...parameters,
		},
		items: [{ campaignId, event: 'winner' }],
		credentials: {
			...env.credentials(),
			smsTrackingTwilioApi: {
				authType: 'authToken',
				accountSid: twilio.accountSid,
				authToken: twilio.authToken,
				baseUrl: twilio.url,
			},
		},
		continueOnFail,
	});
const recordWinner = async (campaignId: string) => {
	const res = await env.server.api('POST', `/api/v1/campaigns/${campaignId}/winner`, {
		metric: 'ctr',
		minSamplePerVariant: 1,
		record: true,
	});
	expect(res.body).toMatchObject({ winner: 'A', recorded: true });
};
const winnerWave = (campaignId: string) =>
	env.server.sql(
		`SELECT recipient, variant, status FROM messages WHERE campaign_id = $1 AND wave = 'Winner' ORDER BY recipient`,
		[campaignId],
	);
const sevenTo = (recipients: string[], since: number) =>
	env.seven.received.slice(since).filter((sms) => recipients.includes(sms.to));

test('when no winner is recorded yet, then the node fails saying so and sends nothing', async () => {
	const { campaignId, holdout, clickAll } = await abTest('winner not yet', 0);
	await clickAll('A'); // A leads, but nobody recorded a winner
	const before = env.seven.received.length;
	const run = await sendWinner(campaignId);
	expect(run.error?.message).toMatch(
		/^No A\/B winner is recorded for the campaign "winner not yet" yet$/,
	);
	expect(env.seven.received.length).toBe(before);
	expect(await winnerWave(campaignId)).toEqual([]);
	expect(holdout.length).toBeGreaterThan(0);
});

test('when the variants share the best click rate, then the node fails saying it is a tie and sends nothing', async () => {
	const { campaignId, clickAll } = await abTest('winner tie', 100);
	await clickAll('A');
	await clickAll('B');
	const before = env.seven.received.length;
	const run = await sendWinner(campaignId);
	expect(run.error?.message).toBe(
		'The A/B test of the campaign "winner tie" is a tie: A and B have the same click rate (100 %), so there is no winner to send',
	);
	expect(env.seven.received.length).toBe(before);
	expect(await winnerWave(campaignId)).toEqual([]);
});

test('when a winner is recorded, then exactly the hold-out gets its text as the wave "Winner", and a re-run sends nothing', async () => {
	const { campaignId, holdout, clickAll } = await abTest('winner sent', 200);
	await clickAll('A');
	await recordWinner(campaignId);

	const before = env.seven.received.length;
	const run = await sendWinner(campaignId);
	expect(run.error).toBeUndefined();
	const sent = env.seven.received.slice(before);
	expect(sent.map((sms) => sms.to).sort()).toEqual([...holdout].sort());
	for (const sms of sent) {
		expect(sms.from).toBe('MyShop');
		expect(sms.text).toMatch(/^Spring sale: 20% off http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9]+$/);
	}
	expect(new Set(sent.map((sms) => sms.text)).size).toBe(holdout.length); // a link of their own each
	expect(run.outputs).toHaveLength(1);
	expect(run.outputs[0].map((o) => o.json.recipient)).toEqual([...holdout].sort());
	for (const item of run.outputs[0]) {
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			campaignId,
			status: 'sent',
			wave: 'Winner',
			variant: 'holdout',
			originalText: texts.A,
		});
	}
	expect(await winnerWave(campaignId)).toEqual(
		[...holdout].sort().map((recipient) => ({ recipient, variant: 'holdout', status: 'sent' })),
	);
	// the winner wave leaves them in the hold-out: its numbers are the winner's effect on them
	const stats = (await env.server.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body;
	expect(stats.waves.find((w: any) => w.wave === 'Winner')).toMatchObject({
		recipients: holdout.length,
		sent: holdout.length,
	});

	const again = await sendWinner(campaignId);
	expect(again.error).toBeUndefined();
	expect(again.outputs[0]).toEqual([]);
	expect(env.seven.received.length).toBe(before + holdout.length);
	expect(await winnerWave(campaignId)).toHaveLength(holdout.length);
});

test('when a send to one hold-out recipient fails, then the re-run sends to that one only (here through Twilio)', async () => {
	const { campaignId, holdout, clickAll } = await abTest('winner retry', 300);
	await clickAll('A');
	await recordWinner(campaignId);
	const [refused, ...rest] = holdout;
	env.seven.failFor.set(refused, '202');
	const before = env.seven.received.length;
	const first = await sendWinner(campaignId, {}, true);
	env.seven.failFor.delete(refused);
	expect(first.error).toBeUndefined();
	expect(first.outputs[0].find((o) => o.json.recipient === refused)).toMatchObject({
		json: { status: 'failed', error: expect.any(String) },
		pairedItem: { item: 0 },
	});
	expect(
		sevenTo(rest, before)
			.map((sms) => sms.to)
			.sort(),
	).toEqual([...rest].sort());

	const retryFrom = twilio.received.length;
	const retry = await sendWinner(campaignId, { provider: 'twilio', from: '+15005550006' });
	expect(retry.error).toBeUndefined();
	expect(
		twilio.received.slice(retryFrom).map((sms) => [sms.To, sms.Body.split(' http')[0]]),
	).toEqual([[refused, 'Spring sale: 20% off']]);
	expect(retry.outputs[0].map((o) => [o.json.recipient, o.json.status])).toEqual([
		[refused, 'sent'],
	]);
});

test('when the hold-out is larger than a page of the server, then every page is read and sent', async () => {
	const campaignId = await newCampaign(env.server, 'winner big hold-out');
	await env.server.api('PUT', `/api/v1/campaigns/${campaignId}/variants`, {
		variants: [
			{ name: 'A', weight: 1, text: 'A wins https://shop.example/a' },
			{ name: 'B', weight: 1, text: texts.B },
		],
		holdout: 0.5,
	});
	const holdout = phones(1_050, 5_000);
	const recorded = await env.server.api('POST', `/api/v1/campaigns/${campaignId}/messages`, {
		messages: holdout.map((recipient) => ({ recipient, variant: 'holdout', status: 'holdout' })),
	});
	expect(recorded.status).toBe(200);
	await env.server.sql('UPDATE campaigns SET winner = $2 WHERE id = $1', [campaignId, 'A']);

	const before = env.seven.received.length;
	const run = await sendWinner(campaignId, { sendOptions: { concurrency: 50 } });
	expect(run.error).toBeUndefined();
	expect(run.outputs[0]).toHaveLength(1_050);
	const sent = env.seven.received.slice(before);
	expect(new Set(sent.map((sms) => sms.to)).size).toBe(1_050);
	expect(sent.every((sms) => sms.text.startsWith('A wins http'))).toBe(true);
	expect(await winnerWave(campaignId)).toHaveLength(1_050);
}, 90_000);

test('when the campaign has no A/B test, then the node fails saying so; with Continue On Fail the item leaves with the error beside its fields', async () => {
	const campaignId = await newCampaign(env.server, 'no test');
	const run = await sendWinner(campaignId, {}, true);
	expect(run.error).toBeUndefined();
	expect(run.outputs[0]).toEqual([
		{
			json: {
				campaignId,
				event: 'winner',
				error: 'The campaign "no test" has no A/B test, so there is no winner to send',
				errorDescription: expect.stringContaining('nothing was sent'),
			},
			pairedItem: { item: 0 },
		},
	]);
});

test("when the winner event reaches examples/ab-test-automated.json's Send node, then that node as saved sends the winner to the hold-out", async () => {
	const example = JSON.parse(
		readFileSync(path.resolve(__dirname, '../../../examples/ab-test-automated.json'), 'utf8'),
	) as { nodes: Array<{ name: string; typeVersion: number; parameters: INodeParameters }> };
	const node = example.nodes.find((n) => n.name === 'Send winner to hold-out')!;
	const { campaignId, holdout, clickAll } = await abTest('winner example', 400);
	await clickAll('A');
	await recordWinner(campaignId);
	const before = env.seven.received.length;
	const run = await runNode({
		parameters: node.parameters,
		typeVersion: node.typeVersion,
		// the trigger's winner event names the campaign
		items: [{ type: 'winner', campaignId, winner: 'A' }],
		credentials: env.credentials(),
	});
	expect(run.error).toBeUndefined();
	expect(
		env.seven.received
			.slice(before)
			.map((sms) => sms.to)
			.sort(),
	).toEqual([...holdout].sort());
	expect(new Set(run.outputs[0].map((o) => o.json.wave))).toEqual(new Set(['Winner']));
});

test('when the server’s A/B rule recorded a tie, then the node fails saying the test ended in a tie and sends nothing', async () => {
	const { campaignId } = await abTest('winner rule tie', 500);
	const decision = {
		variant: null,
		text: null,
		tie: true,
		tied: ['B', 'A'],
		decidedBy: 'deadline',
		significant: false,
		pValue: 1,
		metric: 'conversionRate',
		confidence: 0.95,
		minSamplePerVariant: 1,
		variants: [
			{ variant: 'A', recipients: 4, successes: 1, rate: 0.25 },
			{ variant: 'B', recipients: 4, successes: 1, rate: 0.25 },
		],
		holdoutRecipients: 6,
		decidedAt: new Date().toISOString(),
	};
	await env.server.sql('UPDATE campaigns SET ab_test_decision = $2 WHERE id = $1', [
		campaignId,
		JSON.stringify(decision),
	]);
	const before = env.seven.received.length;
	const run = await sendWinner(campaignId);
	expect(run.error?.message).toBe(
		'The A/B test of the campaign "winner rule tie" ended in a tie: A and B have the same conversion rate (25 %), so there is no winner to send',
	);
	expect(env.seven.received.length).toBe(before);
	expect(await winnerWave(campaignId)).toEqual([]);
});

test('when two runs send the winner at the same time, then each hold-out recipient gets it once and the other run says one is already sending', async () => {
	const { campaignId, holdout, clickAll } = await abTest('winner twice at once', 400);
	await clickAll('A');
	await recordWinner(campaignId);
	const before = env.seven.received.length;
	let answer!: () => void;
	env.seven.holdAnswers = new Promise<void>((resolve) => (answer = resolve));
	const first = sendWinner(campaignId);
	// the first run holds the wave's lock while its messages wait at the provider
	await waitFor(
		() => env.server.sql('SELECT holder FROM send_locks WHERE campaign_id = $1', [campaignId]),
		{ what: "the first run to take the wave's lock", until: (rows) => rows.length === 1 },
	);
	const second = await sendWinner(campaignId);
	expect(second.error?.message).toBe(
		'Another run is already sending the wave "Winner" of this campaign to its hold-out',
	);
	answer();
	env.seven.holdAnswers = null;
	const done = await first;
	expect(done.error).toBeUndefined();
	expect(
		sevenTo(holdout, before)
			.map((sms) => sms.to)
			.sort(),
	).toEqual([...holdout].sort());
	expect(await winnerWave(campaignId)).toHaveLength(holdout.length);
	// given back when the run is done: the next run takes it and finds nobody left
	expect(await env.server.sql('SELECT 1 FROM send_locks WHERE campaign_id = $1', [campaignId])).toEqual([]);
	const again = await sendWinner(campaignId);
	expect(again.error).toBeUndefined();
	expect(again.outputs[0]).toEqual([]);
});
