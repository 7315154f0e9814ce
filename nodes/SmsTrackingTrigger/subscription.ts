import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { request } from '../shared/transport';
import { forgetScope } from './recentIds';

const credential = 'smsTrackingApi';

/** What the node keeps in the workflow's static data about its subscription on the server. */
export interface SubscriptionState {
	subscriptionId?: string;
	secret?: string;
}

interface RemoteSubscription {
	id: string;
	url: string;
	events: string[];
	campaignId: string | null;
	active: boolean;
}

interface FullResponse<T> {
	statusCode: number;
	body: T;
}

function wanted(ctx: IHookFunctions) {
	const events = ctx.getNodeParameter('events', []) as string[];
	const campaignId = ((ctx.getNodeParameter('campaignId', '') as string) || '').trim();
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n has no webhook URL for this trigger');
	if (events.length === 0)
		throw new NodeOperationError(ctx.getNode(), 'Choose at least one event to listen for');
	return { url, events: [...events].sort(), campaignId: campaignId || null };
}

function state(ctx: IHookFunctions): SubscriptionState {
	return ctx.getWorkflowStaticData('node') as SubscriptionState;
}

/** DELETE that treats "already gone" (404) as done. */
async function remove(ctx: IHookFunctions, id: string): Promise<void> {
	const res = await request<FullResponse<IDataObject>>(ctx, credential, {
		method: 'DELETE',
		url: `/api/v1/webhooks/${encodeURIComponent(id)}`,
		fullResponse: true,
		ignoreHttpStatusErrors: true,
	});
	if (res.statusCode !== 204 && res.statusCode !== 404) {
		throw new NodeApiError(
			ctx.getNode(),
			{ httpCode: String(res.statusCode), body: res.body } as never,
			{
				message: `The tracking server refused to delete webhook ${id} (HTTP ${res.statusCode})`,
			},
		);
	}
}

/** True when the subscription in static data still exists on the server exactly as configured. */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const stored = state(this);
	if (!stored.subscriptionId || !stored.secret) return false;
	const res = await request<FullResponse<RemoteSubscription>>(this, credential, {
		method: 'GET',
		url: `/api/v1/webhooks/${encodeURIComponent(stored.subscriptionId)}`,
		fullResponse: true,
		ignoreHttpStatusErrors: true,
	});
	if (res.statusCode === 404) return false;
	if (res.statusCode !== 200) {
		throw new NodeApiError(
			this.getNode(),
			{ httpCode: String(res.statusCode), body: res.body } as never,
			{
				message: `The tracking server could not be asked about webhook ${stored.subscriptionId} (HTTP ${res.statusCode})`,
			},
		);
	}
	const want = wanted(this);
	const have = res.body;
	return (
		have.active &&
		have.url === want.url &&
		(have.campaignId ?? null) === want.campaignId &&
		[...have.events].sort().join(',') === want.events.join(',')
	);
}

/**
 * Subscribes this trigger's webhook URL. Subscriptions left over for the same URL (a previous
 * activation whose secret is no longer known, or a changed configuration) are removed first, so
 * the server never keeps sending to this URL with a secret the node cannot verify.
 */
export async function create(this: IHookFunctions): Promise<boolean> {
	const want = wanted(this);
	const stored = state(this);
	if (stored.subscriptionId) await remove(this, stored.subscriptionId);
	const existing = await request<{ webhooks: RemoteSubscription[] }>(this, credential, {
		method: 'GET',
		url: '/api/v1/webhooks',
		qs: { url: want.url },
	});
	for (const leftover of existing.webhooks ?? []) await remove(this, leftover.id);

	const body: IDataObject = { url: want.url, events: want.events };
	if (want.campaignId) body.campaignId = want.campaignId;
	const created = await request<{ id: string; secret: string }>(this, credential, {
		method: 'POST',
		url: '/api/v1/webhooks',
		body,
	});
	if (!created?.id || !created?.secret) {
		throw new NodeOperationError(
			this.getNode(),
			'The tracking server did not return a webhook id and secret',
		);
	}
	stored.subscriptionId = created.id;
	stored.secret = created.secret;
	return true;
}

/** Unsubscribes on deactivation; a subscription already gone counts as removed. */
export async function unsubscribe(this: IHookFunctions): Promise<boolean> {
	const stored = state(this);
	if (stored.subscriptionId) {
		try {
			await remove(this, stored.subscriptionId);
		} catch {
			return false;
		}
		forgetScope(stored.subscriptionId);
	}
	delete stored.subscriptionId;
	delete stored.secret;
	return true;
}
