import { assignVariant, holdoutVariant } from '../../../nodes/shared/variants';
import type { Environment } from '../harness/environment';
import { nodeOutput, type WorkflowJson } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { shortLinksIn, userAgents, visit } from '../harness/visit';

const people = [
	['+4915112350001', 'Ada'],
	['+4915112350002', 'Grace'],
	['+4915112350003', 'Linus'],
	['+4915112350004', 'Margaret'],
	['+4915112350005', 'Alan'],
	['+4915112350006', 'Barbara'],
	['+4915112350007', 'Ken'],
	['+4915112350008', 'Frances'],
].map(([phone, firstName], i) => ({ phone, firstName, contactId: `crm-${i + 1}` }));
const split = {
	variants: [
		{ name: 'A', weight: 1 },
		{ name: 'B', weight: 1 },
	],
	holdout: 0.3,
};

const node = (
	name: string,
	x: number,
	type: string,
	parameters: Record<string, unknown>,
	credentials?: Record<string, unknown>,
) => ({
	id: `0000000${x}-5e9e-4000-8000-00000000000${x}`,
	name,
	type,
	typeVersion: type.startsWith('n8n-nodes-sms-tracking') ? 2 : type.endsWith('code') ? 2 : 1,
	position: [x * 220, 0],
	parameters,
	...(credentials ? { credentials } : {}),
});
const link = (from: string, to: string, output = 0) => ({
	[from]: { main: Object.assign([[]], { [output]: [{ node: to, type: 'main', index: 0 }] }) },
});

/**
 * A behavioural segment in a real n8n: an A/B send with a hold-out and Recipient Metadata (the
 * hold-out is sent later, as a winner send would be), clicks from Android and iPhone browsers in
 * Germany and Austria, one conversion; then Campaign → Get Recipients "Android clickers in DE who
 * did not convert, hold-out excluded" lists exactly the one recipient who is all of that.
 */
export function segmentScenario(env: () => Environment): void {
	describe('segment of recipients (Campaign → Get Recipients)', () => {
		test('when recipients click from Android and iPhone in DE and AT and one converts, then the segment "Android clickers in DE who did not convert, hold-out excluded" is exactly the right recipient, with its metadata', async () => {
			const { n8n, seven, tracking, credentials } = env();
			// a campaign whose deterministic split gives both sent recipients and a hold-out
			let campaignId = '';
			for (let tries = 0; tries < 50 && !campaignId; tries++) {
				const { body } = await tracking.api('POST', '/api/v1/campaigns', {
					name: `Segment ${tries}`,
				});
				const held = people.filter(
					(p) => assignVariant(body.id, p.phone, split.variants, split.holdout) === holdoutVariant,
				);
				if (held.length >= 1 && people.length - held.length >= 4) campaignId = body.id;
			}
			expect(campaignId).not.toBe('');
			const campaign = { __rl: true, mode: 'id', value: campaignId };
			const sms = {
				smsTrackingApi: credentials.smsTrackingApi,
				smsTrackingSevenApi: credentials.smsTrackingSevenApi,
			};
			const metadata = '={{ { contactId: $json.contactId, firstName: $json.firstName } }}';
			const send: WorkflowJson = {
				name: 'Segment: send',
				nodes: [
					node('Start', 1, 'n8n-nodes-base.manualTrigger', {}),
					node('Recipients', 2, 'n8n-nodes-base.code', {
						jsCode: `return ${JSON.stringify(people.map((json) => ({ json })))};`,
					}),
					node(
						'Send A/B test',
						3,
						'n8n-nodes-sms-tracking.smsTracking',
						{
							resource: 'message',
							operation: 'send',
							campaignId: campaign,
							recipient: '={{ $json.phone }}',
							provider: 'seven',
							from: 'MyShop',
							abTest: true,
							holdoutPercent: split.holdout * 100,
							sendOptions: {},
							options: { metadata },
							variants: {
								variant: split.variants.map(({ name, weight }) => ({
									name,
									weight,
									text: `=Hi {{ $json.firstName }}, ${name}: spring sale https://shop.example.com/spring`,
								})),
							},
						},
						sms,
					),
					node(
						'Send to hold-out',
						4,
						'n8n-nodes-sms-tracking.smsTracking',
						{
							resource: 'message',
							operation: 'send',
							campaignId: campaign,
							recipient: '={{ $json.recipient }}',
							provider: 'seven',
							from: 'MyShop',
							text: '=Hi {{ $json.firstName }}, last days of the spring sale https://shop.example.com/spring',
							sendOptions: {},
							options: { metadata },
						},
						sms,
					),
				],
				connections: {
					...link('Start', 'Recipients'),
					...link('Recipients', 'Send A/B test'),
					...link('Send A/B test', 'Send to hold-out', 1),
				},
			};
			const before = seven.received.length;
			const sendId = await n8n.createWorkflow(send);
			await n8n.executeCli(sendId);
			const [sendRun] = await n8n.waitForExecutions(sendId, 1);
			expect(sendRun.data?.resultData.error).toBeUndefined();
			const sent = nodeOutput(sendRun, 'Send A/B test', 0).map((i) => i.recipient as string);
			const held = nodeOutput(sendRun, 'Send to hold-out').map((i) => i.recipient as string);
			expect(sent.length + held.length).toBe(people.length);
			expect(held.length).toBeGreaterThanOrEqual(1);

			const texts = seven.received.slice(before);
			expect(seven.violations).toEqual([]);
			const linkOf = (recipient: string) =>
				shortLinksIn(
					texts.find((t) => `+${t.to.replace(/^\+/, '')}` === recipient)!.text,
					tracking.url,
				)[0];
			const [target, buyer, iphone, austrian] = sent;
			const clicks: Array<[string, string, string]> = [
				[target, userAgents.androidChrome, 'DE'],
				[buyer, userAgents.androidChrome, 'DE'],
				[iphone, userAgents.iPhoneSafari, 'DE'],
				[austrian, userAgents.androidChrome, 'AT'],
				[held[0], userAgents.androidChrome, 'DE'],
			];
			for (const [recipient, userAgent, country] of clicks)
				expect((await visit(linkOf(recipient), userAgent, country)).status).toBe(302);
			expect(
				(
					await tracking.api('POST', '/api/v1/conversions', {
						campaignId,
						recipient: buyer,
						name: 'purchase',
					})
				).status,
			).toBe(201);
			await waitFor(
				'the clicks and the conversion in the stats',
				async () => {
					const res = await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
					return (
						res.status === 200 &&
						res.body.totals.clicks === clicks.length &&
						res.body.totals.conversions === 1
					);
				},
				15_000,
			);

			const segmentId = await n8n.createWorkflow({
				name: 'Segment: Android clickers in DE who did not convert',
				nodes: [
					node('Start', 1, 'n8n-nodes-base.manualTrigger', {}),
					node(
						'Segment',
						2,
						'n8n-nodes-sms-tracking.smsTracking',
						{
							resource: 'campaign',
							operation: 'getRecipients',
							campaignId: campaign,
							returnAll: true,
							filters: {
								os: 'Android',
								country: 'DE',
								clicked: 'true',
								converted: 'false',
								holdout: 'exclude',
							},
						},
						{ smsTrackingApi: credentials.smsTrackingApi },
					),
				],
				connections: link('Start', 'Segment'),
			});
			await n8n.executeCli(segmentId);
			const [segmentRun] = await n8n.waitForExecutions(segmentId, 1);
			expect(segmentRun.status).toBe('success');
			const person = people.find((p) => p.phone === target)!;
			expect(nodeOutput(segmentRun, 'Segment')).toEqual([
				expect.objectContaining({
					recipient: target,
					status: 'sent',
					clicks: 1,
					conversions: 0,
					metadata: { contactId: person.contactId, firstName: person.firstName },
				}),
			]);
		}, 180_000);
	});
}
