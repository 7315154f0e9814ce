import { subscribableEventTypes } from '../events/types';
import { badRequest } from '../http/errors';
import { asObject, onlyKnownFields, optionalBoolean, optionalNumber, optionalString, requiredArray } from '../http/validate';
import { parseDestination } from '../shared/urls';

export type SubscribableEvent = (typeof subscribableEventTypes)[number];

/**
 * Which events of the subscribed types are delivered (docs/webhooks.md#filters). A filter applies
 * only to the event types that carry its field: `urlContains` to clicks, views and conversions,
 * `conversionName` to conversions; `variant`, `wave` and `firstPerRecipient` to every type.
 */
export interface SubscriptionFilters {
	/** Only a recipient's first matching event of each type in each campaign. */
	firstPerRecipient: boolean;
	/** Case-insensitive substring of the link's destination URL. */
	urlContains: string | null;
	variant: string | null;
	conversionName: string | null;
	/** Only events of this send wave. */
	wave: string | null;
}

export const noFilters: SubscriptionFilters = { firstPerRecipient: false, urlContains: null, variant: null, conversionName: null, wave: null };

export interface NewSubscription {
	url: string;
	events: SubscribableEvent[];
	campaignId?: string;
	filters: SubscriptionFilters;
}

const filterFields = ['firstPerRecipient', 'urlContains', 'variant', 'conversionName', 'wave'] as const;

function parseFilters(value: unknown): SubscriptionFilters {
	if (value === undefined || value === null) return noFilters;
	const obj = asObject(value, 'filters');
	onlyKnownFields(obj, filterFields, 'filters');
	return {
		firstPerRecipient: optionalBoolean(obj, 'firstPerRecipient', 'filters.firstPerRecipient') ?? false,
		urlContains: optionalString(obj, 'urlContains', 2048, 'filters.urlContains') ?? null,
		variant: optionalString(obj, 'variant', 100, 'filters.variant') ?? null,
		conversionName: optionalString(obj, 'conversionName', 100, 'filters.conversionName') ?? null,
		wave: optionalString(obj, 'wave', 100, 'filters.wave') ?? null,
	};
}

/** `{url, events, campaignId?, filters?}`: an absolute http(s) URL and a non-empty set of known event types. */
export function parseNewSubscription(body: unknown): NewSubscription {
	const obj = asObject(body);
	onlyKnownFields(obj, ['url', 'events', 'campaignId', 'filters']);
	const url = parseDestination(obj.url, 'url');
	const events = requiredArray(obj, 'events', { min: 1, max: subscribableEventTypes.length * 2 });
	const chosen = new Set<SubscribableEvent>();
	events.forEach((event, i) => {
		if (typeof event !== 'string' || !(subscribableEventTypes as readonly string[]).includes(event)) {
			throw badRequest(`events[${i}] must be one of ${subscribableEventTypes.join(', ')}`, 'invalid_event_type');
		}
		chosen.add(event as SubscribableEvent);
	});
	const campaignId = optionalString(obj, 'campaignId', 100);
	const filters = parseFilters(obj.filters);
	// Keep the order of the known list so equal sets compare equal.
	return { url, events: subscribableEventTypes.filter((e) => chosen.has(e)), campaignId, filters };
}

/** `{overlapSeconds?}` of a secret rotation: 0 (the old secret stops at once) up to the configured maximum. */
export function parseRotation(body: unknown, limits: { defaultMs: number; maxMs: number }): number {
	const obj = asObject(body ?? {});
	onlyKnownFields(obj, ['overlapSeconds']);
	const seconds = optionalNumber(obj, 'overlapSeconds', { min: 0, max: limits.maxMs / 1000 });
	if (seconds !== undefined && !Number.isInteger(seconds)) throw badRequest('overlapSeconds must be a whole number');
	return seconds === undefined ? limits.defaultMs : seconds * 1000;
}
