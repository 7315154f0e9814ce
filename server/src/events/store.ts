import type { Queryable } from '../db';
import { outboxInsertSql } from '../webhooks/outbox';
import type { NewEvent } from './types';

export interface InsertedEvent {
	id: string;
	eventKey: string;
}

// One array per column, unnested into rows: much cheaper for PostgreSQL to read than a JSON
// document per event, which matters on the redirect's hot path (a batch per group commit).
const insertSql = `
WITH inserted AS (
  INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, variant, url, click_id,
    user_agent, device_type, os, browser, country, ip_hash, ip, conversion_name, conversion_value,
    conversion_currency, idempotency_key, wave)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
    $15::text[], $16::inet[], $17::text[], $18::numeric[], $19::text[], $20::text[], $21::text[])
  ON CONFLICT DO NOTHING
  RETURNING id, event_key, type, campaign_id
), outbox AS (${outboxInsertSql('inserted')}
)
SELECT id::text, event_key, (SELECT count(*) FROM outbox)::int AS deliveries FROM inserted`;

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

/**
 * Stores events and, in the same statement (so the same transaction), one webhook delivery per
 * matching active subscription: the outbox (webhooks/outbox.ts). Events whose key or click id is
 * already stored are skipped; the result lists only the events that were new.
 */
export async function insertEvents(db: Queryable, events: NewEvent[]): Promise<{ inserted: InsertedEvent[]; deliveries: number }> {
	if (events.length === 0) return { inserted: [], deliveries: 0 };
	const values = columns.map((column) => events.map((e) => column(e) ?? null));
	const { rows: inserted } = await db.query<{ id: string; event_key: string; deliveries: number }>(insertSql, values, 'insert-events');
	return {
		inserted: inserted.map((r) => ({ id: r.id, eventKey: r.event_key })),
		deliveries: inserted[0]?.deliveries ?? 0,
	};
}
