import { subscribableEventTypes } from '../events/types';
import { badRequest } from '../http/errors';
import { asObject, onlyKnownFields, optionalNumber, optionalString, requiredArray } from '../http/validate';
import { parseDestination } from '../shared/urls';

export type SubscribableEvent = (typeof subscribableEventTypes)[number];

export interface NewSubscription {
	url: string;
	events: SubscribableEvent[];
	campaignId?: string;
}

/** `{url, events, campaignId?}`: an absolute http(s) URL and a non-empty set of known event types. */
export function parseNewSubscription(body: unknown): NewSubscription {
	const obj = asObject(body);
	onlyKnownFields(obj, ['url', 'events', 'campaignId']);
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
	// Keep the order of the known list so equal sets compare equal.
	return { url, events: subscribableEventTypes.filter((e) => chosen.has(e)), campaignId };
}

/** `{overlapSeconds?}` of a secret rotation: 0 (the old secret stops at once) up to the configured maximum. */
export function parseRotation(body: unknown, limits: { defaultMs: number; maxMs: number }): number {
	const obj = asObject(body ?? {});
	onlyKnownFields(obj, ['overlapSeconds']);
	const seconds = optionalNumber(obj, 'overlapSeconds', { min: 0, max: limits.maxMs / 1000 });
	if (seconds !== undefined && !Number.isInteger(seconds)) throw badRequest('overlapSeconds must be a whole number');
	return seconds === undefined ? limits.defaultMs : seconds * 1000;
}
