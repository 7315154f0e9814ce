-- Up Migration

-- Idempotency keys were unique per campaign, so whoever held any click id of a campaign could use
-- up the keys of orders not placed yet (the real orders then came back "duplicate"). A key is now
-- scoped to the click it is reported for, or to the campaign and recipient for a server-side call
-- without a click, and that scope is part of the event key (conversions/store.ts), which is unique.
DROP INDEX IF EXISTS events_conversion_idempotency;

-- Stored conversions get the event key the new code computes for a repeat of them, so a retry of
-- an order reported before this migration is still recognised: with a click id, the click scope;
-- without, the campaign and recipient scope. The digest matches conversions/store.ts: SHA-256 of
-- the parts joined by newlines, base64url without padding. No two rows can collide: the old index
-- kept (campaign, key) unique, and both scopes lie within one campaign.
UPDATE events
SET event_key = 'cv_k_' || rtrim(translate(encode(sha256(convert_to(
      CASE WHEN click_id IS NOT NULL
        THEN 'click' || E'\n' || click_id || E'\n' || idempotency_key
        ELSE 'recipient' || E'\n' || campaign_id || E'\n' || recipient || E'\n' || idempotency_key
      END, 'UTF8')), 'base64'), '+/', '-_'), '=')
WHERE type = 'conversion' AND idempotency_key IS NOT NULL AND event_key LIKE 'cv\_k\_%';

-- The per-click limit (CONVERSIONS_PER_CLICK) counts a click's conversions on every report.
CREATE INDEX IF NOT EXISTS events_conversion_click ON events (click_id) WHERE type = 'conversion';

-- Down Migration

DROP INDEX IF EXISTS events_conversion_click;
CREATE UNIQUE INDEX events_conversion_idempotency ON events (campaign_id, idempotency_key)
  WHERE type = 'conversion' AND idempotency_key IS NOT NULL;
