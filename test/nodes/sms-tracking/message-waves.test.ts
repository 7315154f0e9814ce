import type { INodeParameters } from 'n8n-workflow';
import { runNode } from '../../support/n8n';
import { phoneItems, sendParameters, useServerAndSeven } from '../../support/node-workflows';

/**
 * Send waves through the node: each Send and Shorten names a wave; its links are the recipient's
 * for that wave only, so the first send, the reminder and the winner send are reported apart.
 */
const env = useServerAndSeven();
const phones = ['+4915100000301', '+4915100000302'];
const items = phones.map((phone) => ({ phone, text: 'Sale: https://shop.example/sale' }));

const shorten = (
	campaignId: string,
	parameters: INodeParameters,
	typeVersion: number,
	executionId = '1',
) =>
	runNode({
		parameters: {
			resource: 'message',
			operation: 'shorten',
			campaignId,
			recipient: '={{ $json.phone }}',
			text: '={{ $json.text }}',
			...parameters,
		},
		items,
		credentials: env.credentials(),
		typeVersion,
		executionId,
	});
const codes = (run: Awaited<ReturnType<typeof runNode>>) =>
	run.outputs[0].map((o) => (o.json.links as Array<{ code: string }>)[0].code);

test('when Shorten names no wave (version 2), then each execution is a wave of its own and a re-run of the same execution gets the same links', async () => {
	const id = await env.campaign('waves per execution');
	const first = await shorten(id, {}, 2, '41');
	expect(first.error).toBeUndefined();
	expect(first.outputs[0].map((o) => o.json.wave)).toEqual(['Execution 41', 'Execution 41']);
	const rerun = await shorten(id, {}, 2, '41');
	expect(codes(rerun)).toEqual(codes(first));
	const next = await shorten(id, {}, 2, '42');
	expect(next.outputs[0][0].json.wave).toBe('Execution 42');
	expect(codes(next)).not.toContain(codes(first)[0]);
});

test('when a version 1 workflow shortens without a wave, then its links stay those of the wave "Initial", as before waves', async () => {
	const id = await env.campaign('waves v1');
	const before = await env.server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: phones.map((recipient) => ({ recipient, urls: ['https://shop.example/sale'] })),
	});
	const run = await shorten(id, {}, 1, '77');
	expect(run.outputs[0].map((o) => o.json.wave)).toEqual(['Initial', 'Initial']);
	expect(codes(run)).toEqual(before.body.links.map((l: any) => l.code));
});

test('when a reminder is sent as the wave "Reminder", then it gets new links, its sends are reported in that wave, and Get Recipients lists that wave', async () => {
	const id = await env.campaign('waves send');
	const send = (wave: string) =>
		runNode({
			parameters: sendParameters(id, {
				provider: 'seven',
				text: 'Sale: https://shop.example/sale',
				wave,
			}),
			items: phoneItems(phones),
			credentials: env.credentials(),
			typeVersion: 2,
		});
	const initial = await send('Initial');
	expect(initial.error).toBeUndefined();
	const reminder = await send('Reminder');
	expect(reminder.error).toBeUndefined();
	expect(reminder.outputs[0].map((o) => o.json.wave)).toEqual(['Reminder', 'Reminder']);
	expect(codes(reminder)).not.toContain(codes(initial)[0]);

	const stats = await env.server.api('GET', `/api/v1/campaigns/${id}/stats`);
	expect(stats.body.waves).toEqual([
		expect.objectContaining({ wave: 'Initial', recipients: 2, sent: 2 }),
		expect.objectContaining({ wave: 'Reminder', recipients: 2, sent: 2 }),
	]);

	const simplified = await runNode({
		parameters: { resource: 'campaign', operation: 'getStats', campaignId: id },
		items: [{}],
		credentials: env.credentials(),
		typeVersion: 2,
	});
	expect(simplified.outputs[0].map((o) => [o.json.wave, o.json.sent])).toEqual([
		[null, 2],
		['Initial', 2],
		['Reminder', 2],
	]);
	const oneWave = await runNode({
		parameters: {
			resource: 'campaign',
			operation: 'getStats',
			campaignId: id,
			statsOptions: { wave: 'Reminder' },
		},
		items: [{}],
		credentials: env.credentials(),
		typeVersion: 2,
	});
	expect(oneWave.outputs[0].map((o) => [o.json.wave, o.json.recipients])).toEqual([
		['Reminder', 2],
	]);

	const recipients = await runNode({
		parameters: {
			resource: 'campaign',
			operation: 'getRecipients',
			campaignId: id,
			returnAll: true,
			filters: { wave: 'Reminder', clicked: 'false' },
		},
		items: [{}],
		credentials: env.credentials(),
		typeVersion: 2,
	});
	expect(recipients.error).toBeUndefined();
	expect(recipients.outputs[0].map((o) => o.json.recipient)).toEqual(phones);
	const none = await runNode({
		parameters: {
			resource: 'campaign',
			operation: 'getRecipients',
			campaignId: id,
			returnAll: true,
			filters: { wave: 'Winner' },
		},
		items: [{}],
		credentials: env.credentials(),
		typeVersion: 2,
	});
	expect(none.outputs[0]).toEqual([]);
});
