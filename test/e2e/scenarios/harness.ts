import type { Environment } from '../harness/environment';
import { nodeOutput } from '../harness/examples';

/**
 * The harness itself: the packed package is loaded by a real n8n, and a workflow activated
 * through the public API answers its webhook and leaves an execution record.
 */
export function harnessScenario(env: () => Environment): void {
	describe('the harness', () => {
		test('when the packed package is installed into n8n, then n8n loads its nodes', async () => {
			const types = await env().n8n.rest('GET', '/types/nodes.json');
			const names = (types as Array<{ name: string }>).map((t) => t.name);
			expect(names).toEqual(expect.arrayContaining(['n8n-nodes-sms-tracking.smsTracking', 'n8n-nodes-sms-tracking.smsTrackingTrigger']));
		});

		test('when a webhook workflow is activated, then a call to it is recorded as an execution', async () => {
			const { n8n } = env();
			const id = await n8n.createWorkflow({
				name: 'Harness round trip',
				nodes: [
					{
						id: 'b8d4c1f0-0000-4000-8000-000000000001',
						name: 'Webhook',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: 'e2e-harness-round-trip',
						parameters: { httpMethod: 'POST', path: 'harness', responseMode: 'onReceived' },
					},
				],
				connections: {},
			});
			await n8n.activate(id);
			// Activation is asynchronous in 2.41: the webhook is registered shortly after the call.
			let status = 0;
			for (let i = 0; i < 40 && status !== 200; i++) {
				status = (await fetch(`${n8n.url}/webhook/harness`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ping":1}' })).status;
				if (status !== 200) await new Promise((r) => setTimeout(r, 250));
			}
			expect(status).toBe(200);
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'Webhook')[0].body).toEqual({ ping: 1 });
			await n8n.deactivate(id);
		});

		test('when a manual workflow is executed, then its run, Code node included, is recorded as an execution', async () => {
			const { n8n } = env();
			const id = await n8n.createWorkflow({
				name: 'Harness manual run',
				nodes: [
					{ id: 'b8d4c1f0-0000-4000-8000-000000000002', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{
						id: 'b8d4c1f0-0000-4000-8000-000000000003',
						name: 'Code',
						type: 'n8n-nodes-base.code',
						typeVersion: 2,
						position: [200, 0],
						parameters: { jsCode: 'return [1, 2, 3].map((n) => ({ json: { n } }));' },
					},
				],
				connections: { Start: { main: [[{ node: 'Code', type: 'main', index: 0 }]] } },
			});
			await n8n.executeCli(id);
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'Code')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
		});
	});
}
