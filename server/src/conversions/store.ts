import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../db';
import { HttpError } from '../http/errors';
import { keepPendingConversion, type KeepOutcome, type PendingLimits } from '../events/pending-conversions';
import { attributePendingConversions, insertEvents } from '../events/store';
import { toClickPlace, type Attribution, type ClickPlace, type ClickPlaceRow } from './attribution';
import type { ConversionDetails } from './validate';

export interface Conversion extends ClickPlace {
	id: string;
	name: string;
	value: number | null;
	currency: string | null;
	idempotencyKey: string | null;
	occurredAt: string;
}

interface ConversionRow extends ClickPlaceRow {
	id: string;
	conversion_name: string;
	conversion_value: string | null;
	conversion_currency: string | null;
	idempotency_key: string | null;
	occurred_at: Date;
}

const toConversion = (row: ConversionRow): Conversion => ({
	id: row.id,
	...toClickPlace(row),
	name: row.conversion_name,
	value: row.conversion_value === null ? null : Number(row.conversion_value),
	currency: row.conversion_currency,
	idempotencyKey: row.idempotency_key,
	occurredAt: row.occurred_at.toISOString(),
});

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('base64url');

/**
 * The event key decides what counts as the same conversion: the caller's idempotency key within
 * its click (or, for a server-side call without a click, within the campaign's recipient), so
 * whoever holds one click id cannot use up the keys of other people's orders; without a key, the
 * same name reported for the same click (a reloaded thank-you page); otherwise every report is a
 * conversion of its own. Migration 009 gave stored conversions these keys.
 */
export function conversionEventKey(attribution: Attribution, details: ConversionDetails, clickGiven: boolean): string {
	if (clickGiven && attribution.clickId !== null) return clickConversionEventKey(attribution.clickId, details);
	if (details.idempotencyKey !== null) {
		return 'cv_k_' + digest('recipient', attribution.campaignId, attribution.recipient, details.idempotencyKey);
	}
	return 'cv_r_' + randomBytes(16).toString('base64url');
}

/** conversionEventKey for a conversion reported with its click id. */
export function clickConversionEventKey(clickId: string, details: ConversionDetails): string {
	if (details.idempotencyKey !== null) return 'cv_k_' + digest('click', clickId, details.idempotencyKey);
	return 'cv_c_' + digest(clickId, details.name);
}

/**
 * Keeps a conversion whose click is not stored yet (events/pending-conversions.ts); it is stored
 * with the click. Then looks once more: a click stored meanwhile may have missed it.
 */
export async function keepForClick(
	db: Database,
	clickId: string,
	details: ConversionDetails,
	limits: PendingLimits,
): Promise<KeepOutcome> {
	const outcome = await keepPendingConversion(
		db,
		{
			eventKey: clickConversionEventKey(clickId, details),
			clickId,
			name: details.name,
			value: details.value,
			currency: details.currency,
			idempotencyKey: details.idempotencyKey,
		},
		limits,
	);
	if (outcome === 'kept') await attributePendingConversions(db, limits.perClick, clickId);
	return outcome;
}

export const conversionLimitReached = (perClick: number) =>
	new HttpError(409, 'conversion_limit_reached', `This click already has ${perClick} conversions, the most one click may have (CONVERSIONS_PER_CLICK)`);

/**
 * Stores a conversion event (and, in the same statement, its webhook deliveries). A repeat of a
 * stored conversion stores nothing and returns the stored one with duplicate: true. A conversion
 * reported for a click that already has `perClick` conversions is refused (conversionLimitReached);
 * the click's row is locked meanwhile, so concurrent reports cannot pass the limit together.
 */
export async function recordConversion(
	db: Database,
	attribution: Attribution,
	details: ConversionDetails,
	clickGiven: boolean,
	perClick: number,
): Promise<{ conversion: Conversion; duplicate: boolean }> {
	const eventKey = conversionEventKey(attribution, details, clickGiven);
	const clickId = clickGiven ? attribution.clickId : null;
	return db.withTransaction(async (tx) => {
		if (clickId !== null) {
			await tx.query(`SELECT 1 FROM events WHERE type = 'click' AND click_id = $1 FOR UPDATE`, [clickId]);
			const repeat = await findConversion(tx, eventKey);
			if (repeat) return { conversion: repeat, duplicate: true };
			const { rows } = await tx.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM events WHERE type = 'conversion' AND click_id = $1`,
				[clickId],
			);
			if (rows[0].n >= perClick) throw conversionLimitReached(perClick);
		}
		const { inserted } = await insertEvents(tx, [
			{
				eventKey,
				type: 'conversion',
				occurredAt: new Date(),
				campaignId: attribution.campaignId,
				code: attribution.code,
				recipient: attribution.recipient,
				variant: attribution.variant,
				wave: attribution.wave,
				url: attribution.url,
				clickId: attribution.clickId,
				conversionName: details.name,
				conversionValue: details.value,
				// A value without a currency is in the campaign's currency.
				conversionCurrency: details.currency ?? (details.value !== null ? attribution.campaignCurrency : null),
				idempotencyKey: details.idempotencyKey,
			},
		]);
		const stored = await findConversion(tx, eventKey);
		if (!stored) throw new Error('conversion neither inserted nor found');
		return { conversion: stored, duplicate: inserted.length === 0 };
	});
}

async function findConversion(db: Queryable, eventKey: string): Promise<Conversion | undefined> {
	const { rows } = await db.query<ConversionRow>(
		// event_keys (migration 024) holds a conversion's key with its event's time: one partition read
		`SELECT e.id::text, e.campaign_id, e.recipient, e.code, e.url, e.variant, e.wave, e.click_id, e.conversion_name,
		        e.conversion_value::text, e.conversion_currency, e.idempotency_key, e.occurred_at
		 FROM event_keys k JOIN events e ON e.id = k.event_id AND e.occurred_at = k.occurred_at
		 WHERE k.event_key = $1 AND e.type = 'conversion'`,
		[eventKey],
	);
	return rows[0] ? toConversion(rows[0]) : undefined;
}
