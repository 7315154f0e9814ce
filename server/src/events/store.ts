import type { Queryable } from '../db';
import type { NewEvent } from './types';

export interface InsertedEvent {
	id: string;
	eventKey: string;
}

const insertSql = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
    event_key text, type text, occurred_at timestamptz, campaign_id text, code text, recipient text,
    variant text, url text, click_id text, user_agent text, device_type text, os text, browser text,
    country text, ip_hash text, ip inet, conversion_name text, conversion_value numeric,
    conversion_currency text, idempotency_key text)
), inserted AS (
  INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, variant, url, click_id,
    user_agent, device_type, os, browser, country, ip_hash, ip, conversion_name, conversion_value,
    conversion_currency, idempotency_key)
  SELECT event_key, type, occurred_at, campaign_id, code, recipient, variant, url, click_id,
    user_agent, device_type, os, browser, country, ip_hash, ip, conversion_name, conversion_value,
    conversion_currency, idempotency_key
  FROM input
  ON CONFLICT DO NOTHING
  RETURNING id, event_key, type, campaign_id
), outbox AS (
  INSERT INTO webhook_deliveries (id, subscription_id, event_id)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, i.id
  FROM inserted i
  JOIN webhook_subscriptions s
    ON s.disabled_at IS NULL
   AND i.type = ANY (s.events)
   AND (s.campaign_id IS NULL OR s.campaign_id = i.campaign_id)
  RETURNING 1
)
SELECT id::text, event_key, (SELECT count(*) FROM outbox)::int AS deliveries FROM inserted`;

/**
 * Stores events and, in the same statement (so the same transaction), one webhook delivery per
 * matching active subscription: the outbox. Events whose key, click id or idempotency key is
 * already stored are skipped; the result lists only the events that were new.
 */
export async function insertEvents(db: Queryable, events: NewEvent[]): Promise<{ inserted: InsertedEvent[]; deliveries: number }> {
	if (events.length === 0) return { inserted: [], deliveries: 0 };
	const rows = events.map((e) => ({
		event_key: e.eventKey,
		type: e.type,
		occurred_at: e.occurredAt.toISOString(),
		campaign_id: e.campaignId,
		code: e.code ?? null,
		recipient: e.recipient ?? null,
		variant: e.variant ?? null,
		url: e.url ?? null,
		click_id: e.clickId ?? null,
		user_agent: e.userAgent ?? null,
		device_type: e.deviceType ?? null,
		os: e.os ?? null,
		browser: e.browser ?? null,
		country: e.country ?? null,
		ip_hash: e.ipHash ?? null,
		ip: e.ip ?? null,
		conversion_name: e.conversionName ?? null,
		conversion_value: e.conversionValue ?? null,
		conversion_currency: e.conversionCurrency ?? null,
		idempotency_key: e.idempotencyKey ?? null,
	}));
	const { rows: inserted } = await db.query<{ id: string; event_key: string; deliveries: number }>(insertSql, [JSON.stringify(rows)]);
	return {
		inserted: inserted.map((r) => ({ id: r.id, eventKey: r.event_key })),
		deliveries: inserted[0]?.deliveries ?? 0,
	};
}
