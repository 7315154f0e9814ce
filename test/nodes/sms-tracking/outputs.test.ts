import { NodeHelpers, type INodeParameters } from 'n8n-workflow';
import { SmsTracking } from '../../../nodes/SmsTracking/SmsTracking.node';
import { runNode, smsTrackingWorkflow } from '../../support/n8n';
import { abSendParameters, sendParameters, useServerAndSeven } from '../../support/node-workflows';

const nodeType = new SmsTracking();

/** The outputs n8n gives a node saved with these parameters (defaults filled in as on load). */
function outputsOf(parameters: INodeParameters): string[] {
	const { workflow } = smsTrackingWorkflow('outputs', {
		id: 'outputs',
		typeVersion: 2,
		parameters,
	});
	const node = workflow.getNode('SMS Tracking')!;
	return NodeHelpers.getNodeOutputs(workflow, node, nodeType.description).map((o) =>
		typeof o === 'string' ? o : (o.displayName ?? o.type),
	);
}

describe("the node's outputs in the editor", () => {
	test('when Send runs without an A/B test, then the node has one output', () => {
		expect(outputsOf({ resource: 'message', operation: 'send' })).toEqual(['main']);
		expect(outputsOf({ resource: 'message', operation: 'send', abTest: false })).toEqual(['main']);
	});

	test('when Send runs an A/B test, then the node has a Sent and a Hold-Out output', () => {
		expect(outputsOf({ resource: 'message', operation: 'send', abTest: true })).toEqual([
			'Sent',
			'Hold-Out',
		]);
	});

	test('when another operation is chosen, then the node has one output', () => {
		expect(outputsOf({ resource: 'message', operation: 'shorten' })).toEqual(['main']);
		expect(outputsOf({ resource: 'campaign', operation: 'getStats' })).toEqual(['main']);
	});
});

describe('Send through n8n-core', () => {
	const env = useServerAndSeven();
	const campaign = () => env.campaign('outputs');

	test('when Send runs without an A/B test, then it returns one output', async () => {
		const run = await runNode({
			parameters: sendParameters(await campaign(), {
				recipient: '+4915130000001',
				text: 'Hi https://shop.example/',
				provider: 'seven',
			}),
			items: [{}],
			credentials: env.credentials(),
		});
		expect(run.error).toBeUndefined();
		expect(run.outputs).toHaveLength(1);
		expect(run.outputs[0][0].json.status).toBe('sent');
	});

	test('when an A/B test holds recipients out, then their items keep the input fields for the winner send', async () => {
		const id = await campaign();
		const items = Array.from({ length: 40 }, (_, i) => ({
			phone: `+49151300${String(10_000 + i)}`,
			firstName: `Name${i}`,
			crmId: i,
		}));
		const run = await runNode({
			parameters: abSendParameters(
				id,
				{ A: 'A https://shop.example/a', B: 'B https://shop.example/b' },
				{ holdoutPercent: 50 },
			),
			items,
			credentials: env.credentials(),
		});
		expect(run.error).toBeUndefined();
		expect(run.outputs).toHaveLength(2);
		const held = run.outputs[1];
		expect(held.length).toBeGreaterThan(0);
		for (const item of held) {
			const input = items[(item.pairedItem as { item: number }).item];
			expect(item.json).toEqual({
				...input,
				campaignId: id,
				recipient: input.phone,
				variant: 'holdout',
				wave: 'Initial',
				status: 'holdout',
			});
		}
	});
});
