-- Up Migration

-- Rollups for GET /campaigns/:id/stats with from/to, per 15-minute slot (stats_slot(), UTC; every
-- time zone's hours and days fall on these boundaries). A range is answered from the slots it
-- covers whole plus the events of at most two partial slots at its ends (docs/stats.md).
--
-- Unique counts stay exact because the recipient is part of the key: one row per slot, recipient
-- and URL holds that recipient's counts in that slot, so "unique clickers over a range" is the
-- number of distinct recipients among the rows of an index range (campaign, slot) with clicks > 0
-- — a count of rows, never an estimate. The same rows give unique viewers and converters, clickers
-- per URL, the delivered/failed reports and the first click in the range. Clicks per dimension and
-- conversions per currency need no recipient and have their own, much smaller, slotted tables;
-- clicks, views and conversions per slot are stats_slots (migration 006).

CREATE TABLE stats_recipient_slots (
  campaign_id       text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  slot              timestamptz NOT NULL,
  recipient         text NOT NULL,   -- '' for events without a recipient (never counted as one)
  url               text NOT NULL,   -- '' for events without a link
  variant           text,            -- the greatest variant the events of the slot carry
  views             integer NOT NULL DEFAULT 0,
  clicks            integer NOT NULL DEFAULT 0,
  conversions       integer NOT NULL DEFAULT 0,
  revenue           numeric(20, 4) NOT NULL DEFAULT 0, -- in the campaign's currency (or without one)
  delivered_events  integer NOT NULL DEFAULT 0,
  failed_events     integer NOT NULL DEFAULT 0,
  first_click_at    timestamptz,
  PRIMARY KEY (campaign_id, slot, recipient, url)
);

CREATE TABLE stats_dimension_slots (
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  slot         timestamptz NOT NULL,
  dimension    text NOT NULL,
  key          text NOT NULL,   -- '' stands for unknown
  clicks       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, slot, dimension, key)
);

CREATE TABLE stats_currency_slots (
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  slot         timestamptz NOT NULL,
  currency     text NOT NULL,   -- '' stands for none
  conversions  bigint NOT NULL DEFAULT 0,
  revenue      numeric(20, 4) NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, slot, currency)
);

-- The statements that add a batch of events (a relation named by `source`) to the slotted rollups.
CREATE FUNCTION stats_slot_rollup_statements(source text) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT array_agg(replace(stmt, '{source}', source) ORDER BY n) FROM unnest(ARRAY[
$sql$
INSERT INTO stats_recipient_slots AS s (campaign_id, slot, recipient, url, variant, views, clicks, conversions,
    revenue, delivered_events, failed_events, first_click_at)
  SELECT e.campaign_id, stats_slot(e.occurred_at), coalesce(e.recipient, ''), coalesce(e.url, ''), max(e.variant),
         count(*) FILTER (WHERE e.type = 'view'),
         count(*) FILTER (WHERE e.type = 'click'),
         count(*) FILTER (WHERE e.type = 'conversion'),
         coalesce(sum(e.conversion_value) FILTER (
           WHERE e.type = 'conversion' AND (e.conversion_currency IS NULL OR e.conversion_currency = c.currency)), 0),
         count(*) FILTER (WHERE e.type = 'delivered'),
         count(*) FILTER (WHERE e.type = 'failed'),
         min(e.occurred_at) FILTER (WHERE e.type = 'click')
  FROM {source} e JOIN campaigns c ON c.id = e.campaign_id
  WHERE e.type <> 'bot'
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (campaign_id, slot, recipient, url) DO UPDATE SET
    variant = greatest(s.variant, excluded.variant),
    views = s.views + excluded.views,
    clicks = s.clicks + excluded.clicks,
    conversions = s.conversions + excluded.conversions,
    revenue = s.revenue + excluded.revenue,
    delivered_events = s.delivered_events + excluded.delivered_events,
    failed_events = s.failed_events + excluded.failed_events,
    first_click_at = least(s.first_click_at, excluded.first_click_at)
$sql$,
$sql$
INSERT INTO stats_dimension_slots AS s (campaign_id, slot, dimension, key, clicks)
  SELECT e.campaign_id, stats_slot(e.occurred_at), d.dimension, coalesce(d.key, ''), count(*)
  FROM {source} e
  CROSS JOIN LATERAL (VALUES ('deviceType', e.device_type), ('os', e.os), ('browser', e.browser), ('country', e.country::text)) AS d(dimension, key)
  WHERE e.type = 'click'
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (campaign_id, slot, dimension, key) DO UPDATE SET clicks = s.clicks + excluded.clicks
$sql$,
$sql$
INSERT INTO stats_currency_slots AS s (campaign_id, slot, currency, conversions, revenue)
  SELECT e.campaign_id, stats_slot(e.occurred_at), coalesce(e.conversion_currency::text, ''), count(*),
         coalesce(sum(e.conversion_value), 0)
  FROM {source} e
  WHERE e.type = 'conversion'
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT (campaign_id, slot, currency) DO UPDATE SET
    conversions = s.conversions + excluded.conversions, revenue = s.revenue + excluded.revenue
$sql$
]) WITH ORDINALITY AS t(stmt, n) $fn$;

-- stats_fold() (migration 006) now also adds each batch to the slotted rollups, in the same
-- transaction, so every event is counted exactly once in both.
DO $$
BEGIN
  EXECUTE 'CREATE OR REPLACE FUNCTION stats_fold(max_events integer, only_campaign text DEFAULT NULL) RETURNS integer '
    || 'LANGUAGE plpgsql SET client_min_messages = warning AS '
    || quote_literal(E'DECLARE\n  n integer;\nBEGIN\n'
      || E'  CREATE TEMPORARY TABLE IF NOT EXISTS stats_batch (LIKE events);\n'
      || E'  DELETE FROM stats_batch;\n'
      || E'  WITH taken AS (\n'
      || E'    DELETE FROM stats_pending p WHERE p.event_id IN (\n'
      || E'      SELECT event_id FROM stats_pending WHERE only_campaign IS NULL OR campaign_id = only_campaign\n'
      || E'      ORDER BY event_id LIMIT max_events FOR UPDATE SKIP LOCKED)\n'
      || E'    RETURNING p.event_id)\n'
      || E'  INSERT INTO stats_batch SELECT e.* FROM events e JOIN taken t ON t.event_id = e.id;\n'
      || E'  GET DIAGNOSTICS n = ROW_COUNT;\n'
      || E'  IF n > 0 THEN\n'
      || array_to_string(stats_event_rollup_statements('stats_batch')
           || stats_slot_rollup_statements('stats_batch'), E';\n') || E';\n'
      || E'  END IF;\n'
      || E'  DELETE FROM stats_batch;\n'
      || E'  RETURN n;\nEND');
END $$;

-- Backfill: events already folded go into the slotted rollups now; queued ones will be folded
-- by the new stats_fold() into both.
DO $$
DECLARE
  stmt text;
BEGIN
  FOREACH stmt IN ARRAY stats_slot_rollup_statements(
    '(SELECT * FROM events x WHERE NOT EXISTS (SELECT 1 FROM stats_pending p WHERE p.event_id = x.id))')
  LOOP
    EXECUTE stmt;
  END LOOP;
END $$;

-- Down Migration
DO $$
BEGIN
  EXECUTE 'CREATE OR REPLACE FUNCTION stats_fold(max_events integer, only_campaign text DEFAULT NULL) RETURNS integer '
    || 'LANGUAGE plpgsql SET client_min_messages = warning AS '
    || quote_literal(E'DECLARE\n  n integer;\nBEGIN\n'
      || E'  CREATE TEMPORARY TABLE IF NOT EXISTS stats_batch (LIKE events);\n'
      || E'  DELETE FROM stats_batch;\n'
      || E'  WITH taken AS (\n'
      || E'    DELETE FROM stats_pending p WHERE p.event_id IN (\n'
      || E'      SELECT event_id FROM stats_pending WHERE only_campaign IS NULL OR campaign_id = only_campaign\n'
      || E'      ORDER BY event_id LIMIT max_events FOR UPDATE SKIP LOCKED)\n'
      || E'    RETURNING p.event_id)\n'
      || E'  INSERT INTO stats_batch SELECT e.* FROM events e JOIN taken t ON t.event_id = e.id;\n'
      || E'  GET DIAGNOSTICS n = ROW_COUNT;\n'
      || E'  IF n > 0 THEN\n'
      || array_to_string(stats_event_rollup_statements('stats_batch'), E';\n') || E';\n'
      || E'  END IF;\n'
      || E'  DELETE FROM stats_batch;\n'
      || E'  RETURN n;\nEND');
END $$;
DROP FUNCTION stats_slot_rollup_statements(text);
DROP TABLE stats_currency_slots, stats_dimension_slots, stats_recipient_slots;
