import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db';
import { insertEvents } from '../events/store';
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
 * the campaign; without one, the same name reported for the same click (a reloaded thank-you page);
 * otherwise every report is a conversion of its own.
 */
export function conversionEventKey(attribution: Attribution, details: ConversionDetails, clickGiven: boolean): string {
	if (details.idempotencyKey !== null) return 'cv_k_' + digest(attribution.campaignId, details.idempotencyKey);
	if (clickGiven && attribution.clickId) return 'cv_c_' + digest(attribution.clickId, details.name);
	return 'cv_r_' + randomBytes(16).toString('base64url');
}

/**
 * Stores a conversion event (and, in the same statement, its webhook deliveries). A repeat of a
 * stored conversion stores nothing and returns the stored one with duplicate: true.
 */
export async function recordConversion(
	db: Queryable,
	attribution: Attribution,
	details: ConversionDetails,
	clickGiven: boolean,
): Promise<{ conversion: Conversion; duplicate: boolean }> {
	const eventKey = conversionEventKey(attribution, details, clickGiven);
	const { inserted } = await insertEvents(db, [
		{
			eventKey,
			type: 'conversion',
			occurredAt: new Date(),
			campaignId: attribution.campaignId,
			code: attribution.code,
			recipient: attribution.recipient,
			variant: attribution.variant,
			url: attribution.url,
			clickId: attribution.clickId,
			conversionName: details.name,
			conversionValue: details.value,
			// A value without a currency is in the campaign's currency.
			conversionCurrency: details.currency ?? (details.value !== null ? attribution.campaignCurrency : null),
			idempotencyKey: details.idempotencyKey,
		},
	]);
	const stored = await findConversion(db, eventKey, attribution.campaignId, details.idempotencyKey);
	if (!stored) throw new Error('conversion neither inserted nor found');
	return { conversion: stored, duplicate: inserted.length === 0 };
}

async function findConversion(db: Queryable, eventKey: string, campaignId: string, idempotencyKey: string | null): Promise<Conversion | undefined> {
	const { rows } = await db.query<ConversionRow>(
		`SELECT id::text, campaign_id, recipient, code, url, variant, click_id, conversion_name,
		        conversion_value::text, conversion_currency, idempotency_key, occurred_at
		 FROM events
		 WHERE type = 'conversion'
		   AND (event_key = $1 OR ($3::text IS NOT NULL AND campaign_id = $2 AND idempotency_key = $3))
		 ORDER BY id LIMIT 1`,
		[eventKey, campaignId, idempotencyKey],
	);
	return rows[0] ? toConversion(rows[0]) : undefined;
}
