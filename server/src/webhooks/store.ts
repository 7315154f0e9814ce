import { campaignNotFound } from '../campaigns/store';
import type { Queryable } from '../db';
import { isPgError, pgErrors } from '../db';
import { HttpError, notFound } from '../http/errors';
import { newId } from '../shared/ids';
import { generateSecret } from './signature';
import type { z } from 'zod';
import type { NewSubscription, subscription } from './schemas';

/** A subscription as the API shows it (webhooks/schemas.ts). */
export type Subscription = z.output<typeof subscription>;

interface SubscriptionRow {
	id: string;
	url: string;
	events: string[];
	campaign_id: string | null;
	first_per_recipient: boolean;
	url_contains: string | null;
	variant: string | null;
	conversion_name: string | null;
	wave: string | null;
	disabled_at: Date | null;
	disabled_reason: string | null;
	created_at: Date;
}

const columns =
	'id, url, events, campaign_id, first_per_recipient, url_contains, variant, conversion_name, wave, disabled_at, disabled_reason, created_at';

function toSubscription(row: SubscriptionRow): Subscription {
	return {
		id: row.id,
		url: row.url,
		events: row.events as Subscription['events'],
		campaignId: row.campaign_id,
		filters: {
			firstPerRecipient: row.first_per_recipient,
			urlContains: row.url_contains,
			variant: row.variant,
			conversionName: row.conversion_name,
			wave: row.wave,
		},
		active: row.disabled_at === null,
		disabledAt: row.disabled_at?.toISOString() ?? null,
		disabledReason: row.disabled_reason,
		createdAt: row.created_at.toISOString(),
	};
}

export async function createSubscription(db: Queryable, input: NewSubscription): Promise<Subscription & { secret: string }> {
	const secret = generateSecret();
	try {
		const { rows } = await db.query<SubscriptionRow>(
			`INSERT INTO webhook_subscriptions (id, url, events, campaign_id, secret, first_per_recipient, url_contains, variant, conversion_name, wave)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${columns}`,
			[
				newId('whk'),
				input.url,
				input.events,
				input.campaignId ?? null,
				secret,
				input.filters.firstPerRecipient,
				input.filters.urlContains,
				input.filters.variant,
				input.filters.conversionName,
				input.filters.wave,
			],
		);
		const { id, url, events, campaignId, filters, createdAt, ...rest } = toSubscription(rows[0]);
		return { id, url, events, campaignId, filters, secret, createdAt, ...rest };
	} catch (err) {
		if (isPgError(err, pgErrors.foreignKeyViolation)) {
			throw campaignNotFound(String(input.campaignId));
		}
		throw err;
	}
}

export async function listSubscriptions(db: Queryable, filter: { url?: string; campaignId?: string }): Promise<Subscription[]> {
	const { rows } = await db.query<SubscriptionRow>(
		`SELECT ${columns} FROM webhook_subscriptions
		 WHERE ($1::text IS NULL OR url = $1) AND ($2::text IS NULL OR campaign_id = $2)
		 ORDER BY created_at DESC, id DESC LIMIT 1000`,
		[filter.url ?? null, filter.campaignId ?? null],
	);
	return rows.map(toSubscription);
}

export async function getSubscription(db: Queryable, id: string): Promise<Subscription> {
	const { rows } = await db.query<SubscriptionRow>(`SELECT ${columns} FROM webhook_subscriptions WHERE id = $1`, [id]);
	if (!rows[0]) throw subscriptionNotFound(id);
	return toSubscription(rows[0]);
}

/**
 * Gives the subscription a new secret. For `overlapMs` the previous secret keeps signing beside
 * it (deliveries carry both signatures), so the receiver can switch at any time within; a second
 * rotation within the overlap ends the oldest secret at once.
 */
export async function rotateSecret(
	db: Queryable,
	id: string,
	overlapMs: number,
): Promise<{ id: string; secret: string; previousSecretExpiresAt: string | null }> {
	const secret = generateSecret();
	const { rows } = await db.query<{ id: string; previous_secret_until: Date | null }>(
		`UPDATE webhook_subscriptions
		 SET previous_secret = CASE WHEN $3::float8 > 0 THEN secret END,
		     previous_secret_until = CASE WHEN $3::float8 > 0 THEN now() + $3::float8 * interval '1 millisecond' END,
		     secret = $2
		 WHERE id = $1 RETURNING id, previous_secret_until`,
		[id, secret, overlapMs],
	);
	if (!rows[0]) throw subscriptionNotFound(id);
	return { id: rows[0].id, secret, previousSecretExpiresAt: rows[0].previous_secret_until?.toISOString() ?? null };
}

/** Removes the subscription and, with it, its deliveries (pending ones are never sent). */
export async function deleteSubscription(db: Queryable, id: string): Promise<void> {
	const { rowCount } = await db.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
	if (rowCount === 0) throw subscriptionNotFound(id);
}

export const subscriptionNotFound = (id: string) => notFound(`Webhook ${id.slice(0, 64)} does not exist`, 'webhook_not_found');

export const conflict = (code: string, message: string) => new HttpError(409, code, message);
