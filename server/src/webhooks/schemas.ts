import { z } from 'zod';
import { subscribableEventTypes } from '../events/types';
import { nextCursor, pageLimit, queryText, timestamp } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { coded } from '../http/schema';
import { absoluteUrl } from '../shared/url-schema';

const optionalText = (max: number) => z.string().trim().min(1).max(max).nullish().transform((v) => v ?? null);

/**
 * Which events of the subscribed types are delivered (docs/webhooks.md#filters). A filter applies
 * only to the event types that carry its field: `urlContains` to clicks, views and conversions,
 * `conversionName` to conversions; `variant`, `wave` and `firstPerRecipient` to every type.
 */
const filters = z.strictObject({
	firstPerRecipient: z
		.boolean()
		.nullish()
		.transform((v) => v ?? false)
		.meta({ description: "Only a recipient's first matching event of each type in each campaign" }),
	urlContains: optionalText(2048).meta({ description: "Case-insensitive substring of the link's destination URL" }),
	variant: optionalText(100),
	conversionName: optionalText(100),
	wave: optionalText(100).meta({ description: 'Only events of this send wave' }),
});

export type SubscriptionFilters = z.output<typeof filters>;

const eventType = z.enum(subscribableEventTypes, {
	error: coded('invalid_event_type', `must be one of ${subscribableEventTypes.join(', ')}`),
});

/** `{url, events, campaignId?, filters?}`: an absolute http(s) URL and a non-empty set of known event types. */
export const newSubscriptionBody = z.strictObject({
	url: absoluteUrl,
	// In the known order, each once, so equal sets compare equal.
	events: z
		.array(eventType)
		.min(1)
		.max(subscribableEventTypes.length * 2)
		.transform((chosen) => subscribableEventTypes.filter((e) => chosen.includes(e))),
	campaignId: z.string().trim().min(1).max(100).nullish().transform((v) => v ?? undefined),
	filters: filters.nullish().transform((v) => v ?? filters.parse({})),
});

export type NewSubscription = z.output<typeof newSubscriptionBody>;

/** `{overlapSeconds?}` of a secret rotation: 0 (the old secret stops at once) up to the configured maximum. */
export const rotationBody = z.strictObject({
	overlapSeconds: z.int().min(0).nullish().meta({
		description: 'How long the previous secret keeps signing beside the new one; default WEBHOOK_SECRET_OVERLAP',
	}),
});

const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;

/** `{deliveryId}`: a webhook-id as the dispatcher makes them (msg_…) and as other senders might: short, printable. */
export const receiptBody = z.strictObject({
	deliveryId: z
		.string()
		.regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'must be 1 to 128 letters, digits or _ . : -' })
		.meta({ description: 'The webhook-id header of the delivery the receiver ran' }),
});

const receipt = z.object({ deliveryId: z.string(), duplicate: z.boolean() });

export const subscriptionQuery = z.object({ url: queryText(2048).optional(), campaignId: queryText(2048).optional() });

export const deliveriesQuery = z.object({
	limit: pageLimit({ fallback: 50, max: 500 }),
	status: z.enum(deliveryStatuses).optional(),
	cursor: queryText(2048).optional(),
});

export const subscription = z.object({
	id: z.string(),
	url: z.string(),
	events: z.array(z.enum(subscribableEventTypes)),
	campaignId: z.string().nullable(),
	filters: z.object({
		firstPerRecipient: z.boolean(),
		urlContains: z.string().nullable(),
		variant: z.string().nullable(),
		conversionName: z.string().nullable(),
		wave: z.string().nullable(),
	}),
	active: z.boolean(),
	disabledAt: timestamp.nullable(),
	disabledReason: z.string().nullable(),
	createdAt: timestamp,
});

export const delivery = z.object({
	id: z.string(),
	eventId: z.string(),
	eventType: z.string(),
	status: z.enum(deliveryStatuses),
	attempts: z.int(),
	nextAttemptAt: timestamp.nullable(),
	lastAttemptAt: timestamp.nullable(),
	lastStatus: z.int().nullable(),
	lastError: z.string().nullable(),
	deliveredAt: timestamp.nullable(),
	createdAt: timestamp,
});

export const webhookSchemas = describeRoutes('Webhooks', [
	{
		method: 'post',
		path: '/webhooks',
		summary: 'Subscribe a URL to events (the signing secret is shown once)',
		scope: 'webhooks',
		body: newSubscriptionBody,
		responses: { 201: subscription.extend({ secret: z.string() }) },
	},
	{
		method: 'get',
		path: '/webhooks',
		summary: 'List subscriptions, optionally by URL or campaign',
		scope: 'webhooks',
		query: subscriptionQuery,
		responses: { 200: z.object({ webhooks: z.array(subscription) }) },
	},
	{ method: 'get', path: '/webhooks/:id', summary: 'One subscription', scope: 'webhooks', responses: { 200: subscription } },
	{
		method: 'post',
		path: '/webhooks/:id/rotate-secret',
		summary: 'A new signing secret; the previous one keeps signing for the overlap',
		scope: 'webhooks',
		body: rotationBody,
		bodyOptional: true,
		responses: { 200: z.object({ id: z.string(), secret: z.string(), previousSecretExpiresAt: timestamp.nullable() }) },
	},
	{
		method: 'post',
		path: '/webhooks/:id/receipts',
		summary: "Record that the receiver ran a delivery; a repeat answers duplicate (the trigger drops redeliveries across n8n restarts)",
		scope: 'webhooks',
		body: receiptBody,
		responses: { 201: receipt, 200: receipt },
	},
	{ method: 'delete', path: '/webhooks/:id', summary: 'Remove a subscription and its deliveries', scope: 'webhooks', responses: { 204: null } },
	{
		method: 'get',
		path: '/webhooks/:id/deliveries',
		summary: "A subscription's deliveries, newest first",
		scope: 'webhooks',
		query: deliveriesQuery,
		responses: { 200: z.object({ deliveries: z.array(delivery), nextCursor }) },
	},
	{
		method: 'post',
		path: '/webhooks/:id/deliveries/:deliveryId/retry',
		summary: 'Send a failed delivery again',
		scope: 'webhooks',
		responses: { 202: delivery },
	},
]);
