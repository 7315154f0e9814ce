-- Up Migration

-- Send waves: a campaign's first send, its reminder and its winner send are waves, named by the
-- workflow ("Initial", "Reminder", "Winner", or one per n8n execution). A recipient gets one link
-- per destination and wave, so each wave's clicks, unique clickers and conversions are reported
-- apart. A wave is a name on the rows that belong to it (links, messages, events), not a table:
-- a wave has nothing of its own to store, and a filter on an event's wave reads one column.
--
-- Everything stored before this migration was one send per recipient: it becomes the wave
-- "Initial", which is also the wave of a request that names none (clients written before waves).

ALTER TABLE links ADD COLUMN wave text NOT NULL DEFAULT 'Initial';
ALTER TABLE links ADD CONSTRAINT links_campaign_recipient_destination_wave
  UNIQUE (campaign_id, recipient, destination, wave);
ALTER TABLE links DROP CONSTRAINT links_campaign_recipient_destination;

ALTER TABLE messages ADD COLUMN wave text NOT NULL DEFAULT 'Initial';

-- Existing events get 'Initial' (stored as the column's missing value: no table rewrite); new
-- events carry the wave of their link or message, and null when they have neither (a
-- conversion the campaign cannot place).
ALTER TABLE events ADD COLUMN wave text DEFAULT 'Initial';
ALTER TABLE events ALTER COLUMN wave DROP DEFAULT;

-- Per recipient and wave: stats_recipients (migration 006) for one wave. Kept the same way, by
-- the links and messages triggers and by stats_fold(), so each wave's unique counts are exact.
CREATE TABLE stats_wave_recipients (
  campaign_id         text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  wave                text NOT NULL,
  recipient           text NOT NULL,
  first_seen_at       timestamptz NOT NULL DEFAULT now(), -- orders the waves in the answer
  messages_charged    integer NOT NULL DEFAULT 0,
  messages_delivered  integer NOT NULL DEFAULT 0,
  messages_failed     integer NOT NULL DEFAULT 0,
  segments            bigint NOT NULL DEFAULT 0,
  sent_at             timestamptz,
  views               integer NOT NULL DEFAULT 0,
  clicks              integer NOT NULL DEFAULT 0,
  conversions         integer NOT NULL DEFAULT 0,
  revenue             numeric(20, 4) NOT NULL DEFAULT 0,
  delivered_events    integer NOT NULL DEFAULT 0,
  failed_events       integer NOT NULL DEFAULT 0,
  first_click_at      timestamptz,
  last_click_at       timestamptz,
  PRIMARY KEY (campaign_id, wave, recipient)
) WITH (fillfactor = 50);

-- The slotted per-recipient rollup (migration 010) gets the wave in its key, so a time range
-- reports each wave's unique clickers exactly too. Its rows so far are all of the wave "Initial".
ALTER TABLE stats_recipient_slots ADD COLUMN wave text NOT NULL DEFAULT 'Initial';
ALTER TABLE stats_recipient_slots ALTER COLUMN wave SET DEFAULT '';
ALTER TABLE stats_recipient_slots DROP CONSTRAINT stats_recipient_slots_pkey;
ALTER TABLE stats_recipient_slots ADD PRIMARY KEY (campaign_id, slot, recipient, url, wave);

CREATE FUNCTION stats_wave_rollup_statements(source text) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT ARRAY[replace(
$sql$
INSERT INTO stats_wave_recipients AS s (campaign_id, wave, recipient, views, clicks, conversions, revenue,
    delivered_events, failed_events, first_click_at, last_click_at)
  SELECT e.campaign_id, e.wave, e.recipient,
         count(*) FILTER (WHERE e.type = 'view'),
         count(*) FILTER (WHERE e.type = 'click'),
         count(*) FILTER (WHERE e.type = 'conversion'),
         coalesce(sum(e.conversion_value) FILTER (
           WHERE e.type = 'conversion' AND (e.conversion_currency IS NULL OR e.conversion_currency = c.currency)), 0),
         count(*) FILTER (WHERE e.type = 'delivered'),
         count(*) FILTER (WHERE e.type = 'failed'),
         min(e.occurred_at) FILTER (WHERE e.type = 'click'),
         max(e.occurred_at) FILTER (WHERE e.type = 'click')
  FROM {source} e JOIN campaigns c ON c.id = e.campaign_id
  WHERE e.type <> 'bot' AND e.recipient IS NOT NULL AND e.wave IS NOT NULL
  GROUP BY e.campaign_id, e.wave, e.recipient
  ORDER BY e.campaign_id, e.wave, e.recipient
  ON CONFLICT (campaign_id, wave, recipient) DO UPDATE SET
    views = s.views + excluded.views,
    clicks = s.clicks + excluded.clicks,
    conversions = s.conversions + excluded.conversions,
    revenue = s.revenue + excluded.revenue,
    delivered_events = s.delivered_events + excluded.delivered_events,
    failed_events = s.failed_events + excluded.failed_events,
    first_click_at = least(s.first_click_at, excluded.first_click_at),
    last_click_at = greatest(s.last_click_at, excluded.last_click_at)
$sql$, '{source}', source)] $fn$;

-- migration 010's statements, with the wave in stats_recipient_slots' key
CREATE OR REPLACE FUNCTION stats_slot_rollup_statements(source text) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT array_agg(replace(stmt, '{source}', source) ORDER BY n) FROM unnest(ARRAY[
$sql$
INSERT INTO stats_recipient_slots AS s (campaign_id, slot, recipient, url, wave, variant, views, clicks, conversions,
    revenue, delivered_events, failed_events, first_click_at)
  SELECT e.campaign_id, stats_slot(e.occurred_at), coalesce(e.recipient, ''), coalesce(e.url, ''),
         coalesce(e.wave, ''), max(e.variant),
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
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (campaign_id, slot, recipient, url, wave) DO UPDATE SET
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

-- stats_fold() adds each batch to the per-wave rollup too, in the same transaction. Its batch table
-- has a new name: a session that folded before this migration holds a stats_batch without `wave`.
DO $$
BEGIN
  EXECUTE 'CREATE OR REPLACE FUNCTION stats_fold(max_events integer, only_campaign text DEFAULT NULL) RETURNS integer '
    || 'LANGUAGE plpgsql SET client_min_messages = warning AS '
    || quote_literal(E'DECLARE\n  n integer;\nBEGIN\n'
      || E'  CREATE TEMPORARY TABLE IF NOT EXISTS stats_fold_batch (LIKE events);\n'
      || E'  DELETE FROM stats_fold_batch;\n'
      || E'  WITH taken AS (\n'
      || E'    DELETE FROM stats_pending p WHERE p.event_id IN (\n'
      || E'      SELECT event_id FROM stats_pending WHERE only_campaign IS NULL OR campaign_id = only_campaign\n'
      || E'      ORDER BY event_id LIMIT max_events FOR UPDATE SKIP LOCKED)\n'
      || E'    RETURNING p.event_id)\n'
      || E'  INSERT INTO stats_fold_batch SELECT e.* FROM events e JOIN taken t ON t.event_id = e.id;\n'
      || E'  GET DIAGNOSTICS n = ROW_COUNT;\n'
      || E'  IF n > 0 THEN\n'
      || array_to_string(stats_event_rollup_statements('stats_fold_batch')
           || stats_slot_rollup_statements('stats_fold_batch')
           || stats_wave_rollup_statements('stats_fold_batch'), E';\n') || E';\n'
      || E'  END IF;\n'
      || E'  DELETE FROM stats_fold_batch;\n'
      || E'  RETURN n;\nEND');
END $$;

-- Messages of a wave: as stats_apply_messages() (migration 006), per wave.
CREATE FUNCTION stats_apply_wave_messages(changes jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stats_wave_recipients AS s (campaign_id, wave, recipient, messages_charged, messages_delivered,
    messages_failed, segments, sent_at)
  SELECT campaign_id, wave, recipient,
         sum(sign * charged::int),
         sum(sign * (status = 'delivered')::int),
         sum(sign * (status = 'failed')::int),
         sum(sign * CASE WHEN charged THEN coalesce(segments, 1) ELSE 0 END),
         min(sent_at) FILTER (WHERE sign > 0 AND charged)
  FROM (
    SELECT *, (status IN ('sent', 'delivered') OR (status = 'failed' AND provider_message_id IS NOT NULL)) AS charged
    FROM jsonb_to_recordset(changes) AS r(campaign_id text, wave text, recipient text, status text,
      provider_message_id text, segments integer, sent_at timestamptz, sign integer)
  ) m
  GROUP BY campaign_id, wave, recipient
  ORDER BY campaign_id, wave, recipient
  ON CONFLICT (campaign_id, wave, recipient) DO UPDATE SET
    messages_charged = s.messages_charged + excluded.messages_charged,
    messages_delivered = s.messages_delivered + excluded.messages_delivered,
    messages_failed = s.messages_failed + excluded.messages_failed,
    segments = s.segments + excluded.segments,
    sent_at = least(s.sent_at, excluded.sent_at)
$$;

CREATE OR REPLACE FUNCTION stats_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    changes := (SELECT jsonb_agg(to_jsonb(n) || '{"sign": 1}') FROM new_rows n);
  ELSIF TG_OP = 'UPDATE' THEN
    changes := (SELECT jsonb_agg(c) FROM (
      SELECT to_jsonb(n) || '{"sign": 1}' AS c FROM new_rows n
      UNION ALL SELECT to_jsonb(o) || '{"sign": -1}' FROM old_rows o) x);
  ELSE
    -- Messages going with their campaign (migration 007): their stats rows go with it too.
    changes := (SELECT jsonb_agg(to_jsonb(o) || '{"sign": -1}') FROM old_rows o
      WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = o.campaign_id));
  END IF;
  PERFORM stats_apply_messages(changes);
  PERFORM stats_apply_wave_messages(changes);
  RETURN NULL;
END $$;

-- A link makes its recipient part of its wave.
CREATE OR REPLACE FUNCTION stats_links_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_recipients AS s (campaign_id, recipient, link_variant)
  SELECT campaign_id, recipient, min(variant) FROM new_links
  GROUP BY campaign_id, recipient
  ORDER BY campaign_id, recipient
  ON CONFLICT (campaign_id, recipient) DO UPDATE SET link_variant = coalesce(s.link_variant, excluded.link_variant)
  WHERE s.link_variant IS NULL AND excluded.link_variant IS NOT NULL;

  INSERT INTO stats_wave_recipients (campaign_id, wave, recipient)
  SELECT DISTINCT campaign_id, wave, recipient FROM new_links ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING;

  INSERT INTO stats_urls (campaign_id, url)
  SELECT DISTINCT campaign_id, destination FROM new_links ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Backfill the per-wave rollup from what is stored: links, messages, and the events already
-- folded (queued ones will be folded by the new stats_fold()).
INSERT INTO stats_wave_recipients (campaign_id, wave, recipient, first_seen_at)
  SELECT campaign_id, wave, recipient, min(created_at) FROM links GROUP BY 1, 2, 3;
SELECT stats_apply_wave_messages(jsonb_agg(to_jsonb(m) || '{"sign": 1}')) FROM messages m HAVING count(*) > 0;
DO $$
DECLARE
  stmt text;
BEGIN
  FOREACH stmt IN ARRAY stats_wave_rollup_statements(
    '(SELECT * FROM events x WHERE NOT EXISTS (SELECT 1 FROM stats_pending p WHERE p.event_id = x.id))')
  LOOP
    EXECUTE stmt;
  END LOOP;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION stats_links_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_recipients AS s (campaign_id, recipient, link_variant)
  SELECT campaign_id, recipient, min(variant) FROM new_links
  GROUP BY campaign_id, recipient
  ORDER BY campaign_id, recipient
  ON CONFLICT (campaign_id, recipient) DO UPDATE SET link_variant = coalesce(s.link_variant, excluded.link_variant)
  WHERE s.link_variant IS NULL AND excluded.link_variant IS NOT NULL;

  INSERT INTO stats_urls (campaign_id, url)
  SELECT DISTINCT campaign_id, destination FROM new_links ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION stats_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stats_apply_messages((SELECT jsonb_agg(to_jsonb(n) || '{"sign": 1}') FROM new_rows n));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM stats_apply_messages((SELECT jsonb_agg(c) FROM (
      SELECT to_jsonb(n) || '{"sign": 1}' AS c FROM new_rows n
      UNION ALL SELECT to_jsonb(o) || '{"sign": -1}' FROM old_rows o) x));
  ELSE
    PERFORM stats_apply_messages((SELECT jsonb_agg(to_jsonb(o) || '{"sign": -1}') FROM old_rows o
      WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = o.campaign_id)));
  END IF;
  RETURN NULL;
END $$;
DROP FUNCTION stats_apply_wave_messages(jsonb);
-- stats_fold() and the slot statements as migration 010 left them; the slots of other waves go
-- (their counts would collide in the old key)
CREATE OR REPLACE FUNCTION stats_slot_rollup_statements(source text) RETURNS text[]
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

DELETE FROM stats_recipient_slots WHERE wave <> 'Initial' AND wave <> '';
ALTER TABLE stats_recipient_slots DROP CONSTRAINT stats_recipient_slots_pkey;
ALTER TABLE stats_recipient_slots DROP COLUMN wave;
ALTER TABLE stats_recipient_slots ADD PRIMARY KEY (campaign_id, slot, recipient, url);
DROP FUNCTION stats_wave_rollup_statements(text);
DROP TABLE stats_wave_recipients;
ALTER TABLE events DROP COLUMN wave;
ALTER TABLE messages DROP COLUMN wave;
DELETE FROM links WHERE wave <> 'Initial';
ALTER TABLE links DROP CONSTRAINT links_campaign_recipient_destination_wave;
ALTER TABLE links ADD CONSTRAINT links_campaign_recipient_destination UNIQUE (campaign_id, recipient, destination);
ALTER TABLE links DROP COLUMN wave;
