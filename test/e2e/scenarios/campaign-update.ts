import { campaignWithLinks } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';

/** Campaign → Update turns conversion tracking on for a campaign whose links are already out. */
export function campaignUpdateScenario(env: () => Environment): void {
	describe('Campaign → Update: conversion tracking switched on after the send', () => {
		test('when Update turns conversion tracking on, then the next click carries a click id and a conversion on it is counted', async () => {
			const { n8n, tracking, credentials } = env();
			const recipient = '+4915112344001';
			const { campaignId, links } = await campaignWithLinks(tracking, 'Tracking later', [
				recipient,
			]);

			// Off: the redirect adds no click id (and the link is now in the redirect's cache).
			const before = await visit(links[recipient], userAgents.iPhoneSafari);
			expect(before.status).toBe(302);
			expect(before.location).not.toContain('sms_cid=');

			const id = await n8n.createWorkflow({
				name: 'Turn conversion tracking on',
				nodes: [
					{
						id: 'c1f2a3b4-0000-4000-8000-000000000201',
						name: 'Start',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: 'c1f2a3b4-0000-4000-8000-000000000202',
						name: 'Update campaign',
						type: 'n8n-nodes-sms-tracking.smsTracking',
						typeVersion: 1,
						position: [220, 0],
						parameters: {
							resource: 'campaign',
							operation: 'update',
							campaignId: { __rl: true, mode: 'id', value: campaignId },
							updateFields: { conversionTracking: true },
						},
						credentials: { smsTrackingApi: credentials.smsTrackingApi },
					},
				],
				connections: { Start: { main: [[{ node: 'Update campaign', type: 'main', index: 0 }]] } },
			});
			await n8n.executeCli(id);
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.data?.resultData.error).toBeUndefined();
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'Update campaign')).toEqual([
				expect.objectContaining({ id: campaignId, conversionTracking: true }),
			]);

			const after = await visit(links[recipient], userAgents.iPhoneSafari);
			expect(after.status).toBe(302);
			const clickId = new URL(after.location!).searchParams.get('sms_cid');
			expect(clickId).toMatch(/^[A-Za-z0-9]{20,}$/);

			// A server-to-server conversion names a stored click: the redirect answered once the click
			// was in its journal, and the loader stores it moments later.
			await waitFor(
				'the click stored',
				async () => {
					const res = await tracking.api(
						'GET',
						`/api/v1/campaigns/${campaignId}/events?type=click`,
					);
					return res.body.events?.some((e: { clickId: string }) => e.clickId === clickId)
						? true
						: undefined;
				},
				15_000,
			);
			const posted = await tracking.api('POST', '/api/v1/conversions', { clickId, name: 'signup' });
			expect([200, 201, 202]).toContain(posted.status);
			const stats = await waitFor(
				'the conversion in the stats',
				async () => {
					const res = await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
					return res.status === 200 && res.body.totals.conversions === 1 ? res.body : undefined;
				},
				15_000,
			);
			expect(stats.totals).toMatchObject({ clicks: 2, conversions: 1 });
		});
	});
}
