-- Up Migration

-- Segments (GET /campaigns/:id/recipients): each filter is answered from an index, never by
-- reading all of a campaign's recipients.
--
-- What a recipient did, one row per campaign, trait, value and recipient, written once (the first
-- time) and never updated: trait 'event' (value click, view, conversion, delivered, failed) and, of
-- clicks, 'url', 'deviceType' and 'os' (lower case) and 'country' (upper case). The primary key
-- walks the recipients with one trait in recipient order, the order of the recipients' pages.
-- The counters of stats_recipients change on every click, so partial indexes there on clicks > 0
-- would turn each of its (HOT) updates into index writes; rows here are only ever inserted.
-- Kept by stats_fold() like the other rollups, so storing events stays a cheap insert (a trigger
-- on events doing this doubled the cost of storing a batch of clicks).
CREATE TABLE stats_recipient_traits (
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  trait        text NOT NULL,
  value        text NOT NULL,
  recipient    text NOT NULL,
  PRIMARY KEY (campaign_id, trait, value, recipient)
);

-- The rows a batch of events (a relation named by `source`) adds; bots never count.
CREATE FUNCTION stats_recipient_traits_statements(source text) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT ARRAY[replace($sql$
INSERT INTO stats_recipient_traits (campaign_id, trait, value, recipient)
  SELECT e.campaign_id, t.trait, t.value, e.recipient
  FROM {source} e
  CROSS JOIN LATERAL (VALUES
    ('event', e.type),
    ('url', CASE WHEN e.type = 'click' THEN e.url END),
    ('deviceType', CASE WHEN e.type = 'click' THEN lower(e.device_type) END),
    ('os', CASE WHEN e.type = 'click' THEN lower(e.os) END),
    ('country', CASE WHEN e.type = 'click' THEN upper(e.country::text) END)
  ) AS t(trait, value)
  WHERE e.recipient IS NOT NULL AND e.type <> 'bot' AND t.value IS NOT NULL
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT DO NOTHING
$sql$, '{source}', source)] $fn$;

-- stats_fold() (migrations 006, 010 and 011) now also adds each batch to the traits, in the same
-- transaction. A later migration that redefines stats_fold() must keep all four lists.
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
           || stats_wave_rollup_statements('stats_fold_batch')
           || stats_recipient_traits_statements('stats_fold_batch'), E';\n') || E';\n'
      || E'  END IF;\n'
      || E'  DELETE FROM stats_fold_batch;\n'
      || E'  RETURN n;\nEND');
END $$;

-- Backfill from every stored event; queued ones are folded again later, which adds nothing.
DO $$ BEGIN EXECUTE (stats_recipient_traits_statements('events'))[1]; END $$;

-- Variant and hold-out (the variant "holdout"), and failed sends: these columns are set once or
-- rarely, so the (HOT) updates of the counters stay free of index writes.
CREATE INDEX stats_recipients_variant
  ON stats_recipients (campaign_id, (coalesce(message_variant, link_variant, event_variant)), recipient);
CREATE INDEX stats_recipients_failed ON stats_recipients (campaign_id, recipient)
  WHERE messages_failed > 0 OR failed_events > 0;

-- Recipient metadata (Send and Shorten): one JSON object per campaign and recipient, the latest
-- given wins. Returned with the recipients and carried in every webhook payload.
CREATE TABLE recipient_metadata (
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  recipient    text NOT NULL,
  metadata     jsonb NOT NULL CHECK (jsonb_typeof(metadata) = 'object'),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, recipient)
);

-- Down Migration
DROP TABLE recipient_metadata;
DROP INDEX stats_recipients_failed;
DROP INDEX stats_recipients_variant;
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
DROP FUNCTION stats_recipient_traits_statements(text);
DROP TABLE stats_recipient_traits;
