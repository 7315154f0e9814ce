import { campaignWithLinks, subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import type { N8n } from '../harness/n8n';
import { loadExample } from '../harness/examples';
import { waitFor } from '../harness/processes';
import type { TrackingServer } from '../harness/tracking-server';
import { userAgents, visit } from '../harness/visit';

const clicks = 2_000;

/** Opens every link once, `parallel` phones at a time. */
async function clickAll(links: string[], parallel: number): Promise<void> {
	let next = 0;
	const phone = async () => {
		while (next < links.length) {
			const hit = await visit(links[next++], userAgents.iPhoneSafari);
			if (hit.status !== 302) throw new Error(`a short link answered ${hit.status}`);
		}
	};
	await Promise.all(Array.from({ length: parallel }, phone));
}

interface DeliveryView {
	id: string;
	status: string;
	attempts: number;
}

/** Every delivery of the subscription, as the tracking server's API lists them (all pages). */
async function allDeliveries(
	tracking: TrackingServer,
	subscriptionId: string,
): Promise<DeliveryView[]> {
	const all: DeliveryView[] = [];
	for (let cursor: string | null = ''; cursor !== null; ) {
		const page = await tracking.api(
			'GET',
			`/api/v1/webhooks/${subscriptionId}/deliveries?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
		);
		all.push(...page.body.deliveries);
		cursor = page.body.nextCursor;
	}
	return all;
}

/** How many executions of the workflow finished with success (the public API pages by 250). */
async function successfulExecutions(n8n: N8n, workflowId: string): Promise<number> {
	let count = 0;
	for (let cursor: string | undefined = ''; cursor !== undefined; ) {
		const page = await n8n.api<{ data: unknown[]; nextCursor?: string | null }>(
			'GET',
			`/executions?workflowId=${workflowId}&status=success&limit=250${cursor ? `&cursor=${cursor}` : ''}`,
		);
		count += page.data.length;
		cursor = page.nextCursor ?? undefined;
	}
	return count;
}

/**
 * A burst of clicks into one trigger (examples/click-follow-up.json): every click becomes one
 * execution, and the tracking server sends each delivery once — counted from its own delivery
 * rows, not from the trigger's duplicate check, which would hide a second attempt.
 */
export function burstScenario(env: () => Environment): void {
	describe(`burst of ${clicks} clicks (examples/click-follow-up.json)`, () => {
		test(`when ${clicks} recipients click within seconds, then n8n runs ${clicks} executions and no delivery is sent twice`, async () => {
			const { n8n, tracking, receiver, credentials } = env();
			const id = await n8n.createWorkflow({
				...loadExample('click-follow-up.json', credentials, {
					'https://crm.example.com': receiver.url,
				}),
				name: 'Follow up when a recipient clicks (burst)',
			});
			await n8n.activate(id);
			const [subscription] = await waitFor(
				'the subscription',
				async () => {
					const found = await subscriptionsTo(tracking, n8n.url);
					return found.length === 1 ? found : undefined;
				},
				15_000,
			);
			const recipients = Array.from(
				{ length: clicks },
				(_, i) => `+49151${String(20_000_000 + i)}`,
			);
			const { links } = await campaignWithLinks(tracking, 'Burst', recipients);
			const crmBefore = receiver.on('/hooks/sms-clicked').length;

			const started = Date.now();
			await clickAll(Object.values(links), 50);
			const clicked = Date.now();
			const pending = `/api/v1/webhooks/${subscription.id}/deliveries?status=pending&limit=1`;
			await waitFor(
				'every delivery settled',
				async () => (await tracking.api('GET', pending)).body.deliveries.length === 0,
				600_000,
				1_000,
			);
			const settled = Date.now();
			await waitFor(
				'every execution finished',
				async () => (await successfulExecutions(n8n, id)) === clicks,
				120_000,
				2_000,
			);
			process.stderr.write(
				`[e2e] burst: ${clicks} clicks in ${clicked - started} ms, deliveries settled after ${settled - clicked} ms\n`,
			);

			const deliveries = await allDeliveries(tracking, subscription.id);
			expect(deliveries).toHaveLength(clicks);
			expect(deliveries.filter((d) => d.status !== 'delivered')).toEqual([]);
			expect(deliveries.filter((d) => d.attempts !== 1)).toEqual([]);
			expect(receiver.on('/hooks/sms-clicked').length - crmBefore).toBe(clicks);

			await n8n.deactivate(id);
			await waitFor(
				'the subscription removed',
				async () => (await subscriptionsTo(tracking, n8n.url)).length === 0,
				15_000,
			);
		}, 900_000);
	});
}
