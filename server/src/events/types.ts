/** `winner`: a campaign's A/B test rule decided (ab-tests/); one per campaign, without a recipient. */
export const eventTypes = ['click', 'view', 'bot', 'conversion', 'delivered', 'failed', 'winner'] as const;
export type EventType = (typeof eventTypes)[number];

/** The event types a webhook can subscribe to (bots are stored but never sent). */
export const subscribableEventTypes = ['click', 'view', 'conversion', 'delivered', 'failed', 'winner'] as const;

export interface NewEvent {
	/** Unique per occurrence, chosen by the producer; storing the same key twice stores one event. */
	eventKey: string;
	type: EventType;
	occurredAt: Date;
	campaignId: string;
	code?: string | null;
	recipient?: string | null;
	variant?: string | null;
	/** The send wave of the event's link or message. */
	wave?: string | null;
	url?: string | null;
	clickId?: string | null;
	userAgent?: string | null;
	deviceType?: string | null;
	os?: string | null;
	browser?: string | null;
	country?: string | null;
	ipHash?: string | null;
	ip?: string | null;
	conversionName?: string | null;
	conversionValue?: number | string | null;
	conversionCurrency?: string | null;
	idempotencyKey?: string | null;
}
