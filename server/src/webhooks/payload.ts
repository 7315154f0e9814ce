import { toEventView, type EventRow, type EventView } from '../events/list';

/** A claimed delivery joined with its event, its link and its subscription (see queue.ts). */
export interface DeliveryRow extends Omit<EventRow, 'id'> {
	id: string;
	attempts: number;
	subscription_id: string;
	target_url: string;
	secret: string;
	/** The secret before a rotation, while its overlap lasts: it signs too. */
	previous_secret: string | null;
	event_id: string;
	campaign_id: string;
	campaign_name: string;
}

/**
 * The webhook body (docs/architecture.md#webhook-payload): the event as the events API shows it
 * (with the recipient's metadata), with its campaign (id and name) and short URL.
 */
export type WebhookPayload = EventView & {
	campaignId: string;
	campaign: { id: string; name: string };
	shortUrl: string | null;
};

export function buildPayload(row: DeliveryRow, publicBaseUrl: string): WebhookPayload {
	const { id, type, occurredAt, ...event } = toEventView({ ...row, id: row.event_id });
	return {
		id,
		type,
		occurredAt,
		campaignId: row.campaign_id,
		campaign: { id: row.campaign_id, name: row.campaign_name },
		shortUrl: row.code ? `${publicBaseUrl}/${row.code}` : null,
		...event,
	};
}
