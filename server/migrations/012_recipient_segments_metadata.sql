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
CREATE TABLE stats_recipient_traits (
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  trait        text NOT NULL,
  value        text NOT NULL,
  recipient    text NOT NULL,
  PRIMARY KEY (campaign_id, trait, value, recipient)
);

-- The rows a batch of events (a relation named by `source`) adds; bots never count.
CREATE FUNCTION stats_recipient_traits_statement(source text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT replace($sql$
INSERT INTO stats_recipient_traits (campaign_id, trait, value, recipient)
  SELECT DISTINCT e.campaign_id, t.trait, t.value, e.recipient
  FROM {source} e
  CROSS JOIN LATERAL (VALUES
    ('event', e.type),
    ('url', CASE WHEN e.type = 'click' THEN e.url END),
    ('deviceType', CASE WHEN e.type = 'click' THEN lower(e.device_type) END),
    ('os', CASE WHEN e.type = 'click' THEN lower(e.os) END),
    ('country', CASE WHEN e.type = 'click' THEN upper(e.country::text) END)
  ) AS t(trait, value)
  WHERE e.recipient IS NOT NULL AND e.type <> 'bot' AND t.value IS NOT NULL
  ORDER BY 1, 2, 3, 4
  ON CONFLICT DO NOTHING
$sql$, '{source}', source) $fn$;

DO $$
BEGIN
  EXECUTE 'CREATE FUNCTION stats_recipient_traits_inserted() RETURNS trigger LANGUAGE plpgsql AS '
    || quote_literal(E'BEGIN\n' || stats_recipient_traits_statement('new_events') || E';\n  RETURN NULL;\nEND');
END $$;

CREATE TRIGGER stats_recipient_traits_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION stats_recipient_traits_inserted();

DO $$ BEGIN EXECUTE stats_recipient_traits_statement('events'); END $$;

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
DROP TRIGGER stats_recipient_traits_inserted ON events;
DROP FUNCTION stats_recipient_traits_inserted();
DROP FUNCTION stats_recipient_traits_statement(text);
DROP TABLE stats_recipient_traits;
