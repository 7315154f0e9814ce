import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks } from '../shared/tracking-api';
import type { Http } from '../shared/transport';
import { filtersBody, sameFilters, type SubscriptionFilters } from './filters';
import { forgetScope } from './recentIds';

/** What the node keeps in the workflow's static data about its subscription on the server. */
export interface SubscriptionState {
	subscriptionId?: string;
	secret?: string;
}

/** The subscription the trigger's parameters ask for. */
export interface WantedSubscription {
	url: string;
	/** Sorted. */
	events: string[];
	campaignId: string | null;
	filters: SubscriptionFilters;
}

/** True when the subscription in static data still exists on the server exactly as configured. */
export async function checkExists(
	http: Http,
	stored: SubscriptionState,
	want: () => WantedSubscription,
): Promise<boolean> {
	if (!stored.subscriptionId || !stored.secret) return false;
	const have = await getWebhook(http, stored.subscriptionId);
	if (!have) return false;
	const wanted = want();
	return (
		have.active &&
		have.url === wanted.url &&
		(have.campaignId ?? null) === wanted.campaignId &&
		[...have.events].sort().join(',') === wanted.events.join(',') &&
		sameFilters(have.filters, wanted.filters)
	);
}

/**
 * Subscribes this trigger's webhook URL. Subscriptions left over for the same URL (a previous
 * activation whose secret is no longer known, or a changed configuration) are removed first, so
 * the server never keeps sending to this URL with a secret the node cannot verify.
 */
export async function create(
	http: Http,
	stored: SubscriptionState,
	want: WantedSubscription,
): Promise<boolean> {
	if (stored.subscriptionId) await deleteWebhook(http, stored.subscriptionId);
	for (const leftover of await listWebhooks(http, want.url)) await deleteWebhook(http, leftover.id);

	const body: IDataObject = { url: want.url, events: want.events };
	if (want.campaignId) body.campaignId = want.campaignId;
	const filters = filtersBody(want.filters);
	if (Object.keys(filters).length > 0) body.filters = filters;
	const created = await createWebhook(http, body);
	if (!created?.id || !created?.secret) {
		throw new NodeOperationError(
			http.node,
			'The tracking server did not return a webhook id and secret',
		);
	}
	stored.subscriptionId = created.id;
	stored.secret = created.secret;
	return true;
}

/** Unsubscribes on deactivation; a subscription already gone counts as removed. */
export async function unsubscribe(http: Http, stored: SubscriptionState): Promise<boolean> {
	if (stored.subscriptionId) {
		try {
			await deleteWebhook(http, stored.subscriptionId);
		} catch {
			return false;
		}
		forgetScope(stored.subscriptionId);
	}
	delete stored.subscriptionId;
	delete stored.secret;
	return true;
}
