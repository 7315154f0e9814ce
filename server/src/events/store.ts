import type { Queryable } from '../db';
import { outboxInsertSql } from '../webhooks/outbox';
import { claimPendingSql } from './pending-conversions';
import type { NewEvent } from './types';

export interface InsertedEvent {
	id: string;
	eventKey: string;
}

// One array per column, unnested into rows: much cheaper for PostgreSQL to read than a JSON
// document per event, which matters on the redirect's hot path (a batch per group commit).
// Clicks claim the conversions kept for them (events/pending-conversions.ts) in the same
// statement, so whichever writer stores a click attributes them, exactly once.
const insertSql = `
WITH inserted AS (
  INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, variant, url, click_id,
    user_agent, device_type, os, browser, country, ip_hash, ip, conversion_name, conversion_value,
    conversion_currency, idempotency_key, wave)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
    $15::text[], $16::inet[], $17::text[], $18::numeric[], $19::text[], $20::text[], $21::text[])
  ON CONFLICT DO NOTHING
  RETURNING id, event_key, type, occurred_at, campaign_id, code, recipient, variant, url, click_id, conversion_name, wave
), claimed AS (${claimPendingSql(
	`(SELECT click_id, campaign_id, code, recipient, variant, url, wave FROM inserted
	  WHERE type = 'click' AND click_id IS NOT NULL AND recipient IS NOT NULL)`,
)}
), converted AS (${insertClaimedSql('claimed')}
), stored AS (
  SELECT id, type, occurred_at, campaign_id, code, recipient, variant, url, conversion_name, wave FROM inserted
  UNION ALL
  SELECT id, type, occurred_at, campaign_id, code, recipient, variant, url, conversion_name, wave FROM converted
), outbox AS (${outboxInsertSql('stored')}
)`;
const selectInserted = `
SELECT id::text, event_key, (SELECT count(*) FROM outbox)::int AS deliveries,
  (SELECT count(*) FROM converted)::int AS attributed
FROM inserted`;

/**
 * Stores claimed pending conversions (claimPendingSql's rows in `claimed`) as conversion events;
 * expired ones are left out. A value without a currency is in the campaign's currency.
 */
function insertClaimedSql(claimed: string): string {
	return `
  INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, variant, url, click_id,
    conversion_name, conversion_value, conversion_currency, idempotency_key, wave)
  SELECT c.event_key, 'conversion', c.received_at, c.campaign_id, c.code, c.recipient, c.variant, c.url,
    c.click_id, c.name, c.value, COALESCE(c.currency, CASE WHEN c.value IS NOT NULL THEN cp.currency END),
    c.idempotency_key, c.wave
  FROM ${claimed} c JOIN campaigns cp ON cp.id = c.campaign_id
  WHERE c.expires_at > now()
  ON CONFLICT DO NOTHING
  RETURNING id, event_key, type, occurred_at, campaign_id, code, recipient, variant, url, conversion_name, wave`;
}

// Pending conversions whose click is stored but did not claim them: the click's statement began
// before the conversion was kept and committed after it was looked for. Within the per-click
// limit, counting the conversions the click already has.
const attributeStoredSql = `
WITH clicks AS (
  SELECT e.click_id, e.campaign_id, e.code, e.recipient, e.variant, e.url, e.wave
  FROM events e
  WHERE e.type = 'click' AND e.recipient IS NOT NULL AND e.click_id IN (
    SELECT click_id FROM pending_conversions WHERE $2::text IS NULL OR click_id = $2 LIMIT 1000)
), claimed AS (${claimPendingSql('clicks')}
), ranked AS (
  SELECT c.*, row_number() OVER (PARTITION BY c.click_id ORDER BY c.received_at, c.event_key)
    + (SELECT count(*) FROM events x WHERE x.type = 'conversion' AND x.click_id = c.click_id) AS nth
  FROM claimed c
), converted AS (${insertClaimedSql('(SELECT * FROM ranked WHERE nth <= $1)')}
), outbox AS (${outboxInsertSql('converted')}
)
SELECT count(*)::int AS attributed FROM converted`;

const columns = [
	(e: NewEvent) => e.eventKey,
	(e: NewEvent) => e.type,
	(e: NewEvent) => e.occurredAt.toISOString(),
	(e: NewEvent) => e.campaignId,
	(e: NewEvent) => e.code,
	(e: NewEvent) => e.recipient,
	(e: NewEvent) => e.variant,
	(e: NewEvent) => e.url,
	(e: NewEvent) => e.clickId,
	(e: NewEvent) => e.userAgent,
	(e: NewEvent) => e.deviceType,
	(e: NewEvent) => e.os,
	(e: NewEvent) => e.browser,
	(e: NewEvent) => e.country,
	(e: NewEvent) => e.ipHash,
	(e: NewEvent) => e.ip,
	(e: NewEvent) => e.conversionName,
	(e: NewEvent) => (e.conversionValue === null || e.conversionValue === undefined ? null : String(e.conversionValue)),
	(e: NewEvent) => e.conversionCurrency,
	(e: NewEvent) => e.idempotencyKey,
	(e: NewEvent) => e.wave,
];

/** Another write that must commit with the events: a CTE body given its first parameter's number. */
export interface AlongsideWrite {
	name: string;
	sql: (firstParam: number) => string;
	values: unknown[];
}

/**
 * Stores events and, in the same statement (so the same transaction), one webhook delivery per
 * matching active subscription: the outbox (webhooks/outbox.ts), and `alongside`, a write of the
 * caller's (the journal loader's position). Events whose key or click id is already stored are
 * skipped; the result lists only the events that were new. A new click's pending conversions are
 * stored with it (`attributed`).
 */
export async function insertEvents(
	db: Queryable,
	events: NewEvent[],
	alongside?: AlongsideWrite,
): Promise<{ inserted: InsertedEvent[]; deliveries: number; attributed: number }> {
	if (events.length === 0) return { inserted: [], deliveries: 0, attributed: 0 };
	const values: unknown[] = columns.map((column) => events.map((e) => column(e) ?? null));
	const text = alongside
		? `${insertSql}, ${alongside.name} AS (${alongside.sql(values.length + 1)})${selectInserted}`
		: insertSql + selectInserted;
	if (alongside) values.push(...alongside.values);
	const { rows: inserted } = await db.query<{ id: string; event_key: string; deliveries: number; attributed: number }>(
		text,
		values,
		alongside ? `insert-events-${alongside.name}` : 'insert-events',
	);
	return {
		inserted: inserted.map((r) => ({ id: r.id, eventKey: r.event_key })),
		deliveries: inserted[0]?.deliveries ?? 0,
		attributed: inserted[0]?.attributed ?? 0,
	};
}

/**
 * Stores the pending conversions of clicks that are already stored (all, or one click's), with
 * their webhook deliveries; returns how many. The safety net behind the claim in insertEvents.
 */
export async function attributePendingConversions(db: Queryable, perClick: number, clickId: string | null = null): Promise<number> {
	const { rows } = await db.query<{ attributed: number }>(attributeStoredSql, [perClick, clickId]);
	return rows[0].attributed;
}
