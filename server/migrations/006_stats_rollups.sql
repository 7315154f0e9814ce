-- Up Migration

-- Rollups for the campaign evaluation (GET /campaigns/:id/stats without a time range), kept up to
-- date batch by batch (links and messages by statement-level triggers, events by stats_fold()
-- below). Every counter moves by deltas (x = x + excluded.x) under the row lock of the upsert, so
-- concurrent writers never lose counts. Bots never reach a rollup. With from/to, stats are
-- computed from the events instead.

-- One row per recipient of a campaign (a link, a message or an event makes one).
CREATE TABLE stats_recipients (
  campaign_id         text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  recipient           text NOT NULL,
  link_variant        text,
  message_variant     text,
  event_variant       text,
  messages_charged    integer NOT NULL DEFAULT 0,   -- sent, delivered, or failed after the provider accepted it
  messages_delivered  integer NOT NULL DEFAULT 0,
  messages_failed     integer NOT NULL DEFAULT 0,
  segments            bigint NOT NULL DEFAULT 0,    -- charged segments (a message without a count is one)
  sent_at             timestamptz,                  -- first charged message
  views               integer NOT NULL DEFAULT 0,
  clicks              integer NOT NULL DEFAULT 0,
  conversions         integer NOT NULL DEFAULT 0,
  revenue             numeric(20, 4) NOT NULL DEFAULT 0, -- in the campaign's currency (or without one)
  delivered_events    integer NOT NULL DEFAULT 0,
  failed_events       integer NOT NULL DEFAULT 0,
  first_click_at      timestamptz,
  last_click_at       timestamptz,
  PRIMARY KEY (campaign_id, recipient)
) WITH (fillfactor = 50); -- room on each page so that the many updates stay HOT and the table compact

-- Per recipient and link destination: only to know when a recipient becomes a unique clicker of a URL.
CREATE TABLE stats_recipient_urls (
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  recipient    text NOT NULL,
  url          text NOT NULL,
  clicks       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, recipient, url)
) WITH (fillfactor = 70);

CREATE TABLE stats_urls (
  campaign_id      text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  url              text NOT NULL,
  clicks           bigint NOT NULL DEFAULT 0,
  unique_clickers  bigint NOT NULL DEFAULT 0,
  views            bigint NOT NULL DEFAULT 0,
  conversions      bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, url)
);

-- Clicks by device type, OS, browser and country ('' stands for unknown).
CREATE TABLE stats_dimensions (
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  dimension    text NOT NULL,
  key          text NOT NULL,
  clicks       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, dimension, key)
);

-- Clicks, views and conversions per 15 minutes (UTC), fine enough for every time zone's hours.
CREATE TABLE stats_slots (
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  slot         timestamptz NOT NULL,
  clicks       bigint NOT NULL DEFAULT 0,
  views        bigint NOT NULL DEFAULT 0,
  conversions  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, slot)
);

-- Conversions by currency ('' stands for none), to report other currencies apart.
CREATE TABLE stats_currencies (
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  currency     text NOT NULL,
  conversions  bigint NOT NULL DEFAULT 0,
  revenue      numeric(20, 4) NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, currency)
);

-- The 15-minute slot of an instant.
CREATE FUNCTION stats_slot(t timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_timestamp(floor(extract(epoch FROM t) / 900) * 900) $$;

-- The statements that add a batch of events (a relation named by `source`) to every rollup.
CREATE FUNCTION stats_event_rollup_statements(source text) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT array_agg(replace(stmt, '{source}', source) ORDER BY n) FROM unnest(ARRAY[
$sql$
INSERT INTO stats_recipients AS s (campaign_id, recipient, event_variant, views, clicks, conversions, revenue,
    delivered_events, failed_events, first_click_at, last_click_at)
  SELECT e.campaign_id, e.recipient, max(e.variant),
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
  WHERE e.type <> 'bot' AND e.recipient IS NOT NULL
  GROUP BY e.campaign_id, e.recipient
  ORDER BY e.campaign_id, e.recipient
  ON CONFLICT (campaign_id, recipient) DO UPDATE SET
    event_variant = coalesce(s.event_variant, excluded.event_variant),
    views = s.views + excluded.views,
    clicks = s.clicks + excluded.clicks,
    conversions = s.conversions + excluded.conversions,
    revenue = s.revenue + excluded.revenue,
    delivered_events = s.delivered_events + excluded.delivered_events,
    failed_events = s.failed_events + excluded.failed_events,
    first_click_at = least(s.first_click_at, excluded.first_click_at),
    last_click_at = greatest(s.last_click_at, excluded.last_click_at)
$sql$,
$sql$
WITH delta AS (
    SELECT campaign_id, recipient, url,
           count(*) FILTER (WHERE type = 'click') AS clicks,
           count(*) FILTER (WHERE type = 'view') AS views,
           count(*) FILTER (WHERE type = 'conversion') AS conversions
    FROM {source}
    WHERE type <> 'bot' AND url IS NOT NULL
    GROUP BY campaign_id, recipient, url
  ), per_recipient AS (
    -- a row exists once its recipient clicked the URL: inserting it (xmax = 0) makes a unique clicker
    INSERT INTO stats_recipient_urls AS s (campaign_id, recipient, url, clicks)
    SELECT campaign_id, recipient, url, clicks FROM delta
    WHERE recipient IS NOT NULL AND clicks > 0
    ORDER BY campaign_id, recipient, url
    ON CONFLICT (campaign_id, recipient, url) DO UPDATE SET clicks = s.clicks + excluded.clicks
    RETURNING campaign_id, url, (xmax = 0) AS first_click
  ), first_clicks AS (
    SELECT campaign_id, url, count(*) AS n FROM per_recipient WHERE first_click GROUP BY campaign_id, url
  ), per_url AS (
    SELECT campaign_id, url, sum(clicks) AS clicks, sum(views) AS views, sum(conversions) AS conversions
    FROM delta GROUP BY campaign_id, url
  )
  INSERT INTO stats_urls AS s (campaign_id, url, clicks, unique_clickers, views, conversions)
  SELECT u.campaign_id, u.url, u.clicks, coalesce(f.n, 0), u.views, u.conversions
  FROM per_url u LEFT JOIN first_clicks f USING (campaign_id, url)
  ORDER BY u.campaign_id, u.url
  ON CONFLICT (campaign_id, url) DO UPDATE SET
    clicks = s.clicks + excluded.clicks,
    unique_clickers = s.unique_clickers + excluded.unique_clickers,
    views = s.views + excluded.views,
    conversions = s.conversions + excluded.conversions
$sql$,
$sql$
INSERT INTO stats_dimensions AS s (campaign_id, dimension, key, clicks)
  SELECT e.campaign_id, d.dimension, coalesce(d.key, ''), count(*)
  FROM {source} e
  CROSS JOIN LATERAL (VALUES ('deviceType', e.device_type), ('os', e.os), ('browser', e.browser), ('country', e.country::text)) AS d(dimension, key)
  WHERE e.type = 'click'
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT (campaign_id, dimension, key) DO UPDATE SET clicks = s.clicks + excluded.clicks
$sql$,
$sql$
INSERT INTO stats_slots AS s (campaign_id, slot, clicks, views, conversions)
  SELECT campaign_id, stats_slot(occurred_at),
         count(*) FILTER (WHERE type = 'click'),
         count(*) FILTER (WHERE type = 'view'),
         count(*) FILTER (WHERE type = 'conversion')
  FROM {source}
  WHERE type IN ('click', 'view', 'conversion')
  GROUP BY 1, 2
  ORDER BY 1, 2
  ON CONFLICT (campaign_id, slot) DO UPDATE SET
    clicks = s.clicks + excluded.clicks, views = s.views + excluded.views, conversions = s.conversions + excluded.conversions
$sql$,
$sql$
INSERT INTO stats_currencies AS s (campaign_id, currency, conversions, revenue)
  SELECT campaign_id, coalesce(conversion_currency::text, ''), count(*), coalesce(sum(conversion_value), 0)
  FROM {source}
  WHERE type = 'conversion'
  GROUP BY 1, 2
  ORDER BY 1, 2
  ON CONFLICT (campaign_id, currency) DO UPDATE SET
    conversions = s.conversions + excluded.conversions, revenue = s.revenue + excluded.revenue
$sql$
]) WITH ORDINALITY AS t(stmt, n) $fn$;

-- Events are folded into the rollups asynchronously, so the redirect's inserts stay cheap: the
-- trigger only queues the new events' ids (bots never count); stats_fold() takes a batch from the
-- queue (SKIP LOCKED: several servers fold at once without overlap), adds it to every rollup and
-- deletes it from the queue in the same transaction, so each event is counted exactly once. The
-- server folds in the background, and GET …/stats folds the campaign's queue before answering.
CREATE TABLE stats_pending (
  event_id     bigint PRIMARY KEY,
  campaign_id  text NOT NULL
);
CREATE INDEX stats_pending_campaign ON stats_pending (campaign_id, event_id);

CREATE FUNCTION stats_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_pending (event_id, campaign_id)
  SELECT id, campaign_id FROM new_events WHERE type <> 'bot'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_events_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION stats_events_inserted();

-- stats_fold(max_events, campaign or null for all) → how many events it folded. Its statements
-- are static SQL generated from the one list above, so PL/pgSQL plans them once per connection.
DO $$
BEGIN
  EXECUTE 'CREATE FUNCTION stats_fold(max_events integer, only_campaign text DEFAULT NULL) RETURNS integer '
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

-- Messages: inserted rows count +1, deleted rows −1, an update is both (a status change moves
-- a message from 'sent' to 'delivered', say).
CREATE FUNCTION stats_apply_messages(changes jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stats_recipients AS s (campaign_id, recipient, message_variant, messages_charged, messages_delivered,
    messages_failed, segments, sent_at)
  SELECT campaign_id, recipient,
         max(variant) FILTER (WHERE sign > 0),
         sum(sign * charged::int),
         sum(sign * (status = 'delivered')::int),
         sum(sign * (status = 'failed')::int),
         sum(sign * CASE WHEN charged THEN coalesce(segments, 1) ELSE 0 END),
         min(sent_at) FILTER (WHERE sign > 0 AND charged)
  FROM (
    SELECT *, (status IN ('sent', 'delivered') OR (status = 'failed' AND provider_message_id IS NOT NULL)) AS charged
    FROM jsonb_to_recordset(changes) AS r(campaign_id text, recipient text, variant text, status text,
      provider_message_id text, segments integer, sent_at timestamptz, sign integer)
  ) m
  GROUP BY campaign_id, recipient
  ORDER BY campaign_id, recipient
  ON CONFLICT (campaign_id, recipient) DO UPDATE SET
    message_variant = coalesce(excluded.message_variant, s.message_variant),
    messages_charged = s.messages_charged + excluded.messages_charged,
    messages_delivered = s.messages_delivered + excluded.messages_delivered,
    messages_failed = s.messages_failed + excluded.messages_failed,
    segments = s.segments + excluded.segments,
    sent_at = least(s.sent_at, excluded.sent_at)
$$;

CREATE FUNCTION stats_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stats_apply_messages((SELECT jsonb_agg(to_jsonb(n) || '{"sign": 1}') FROM new_rows n));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM stats_apply_messages((SELECT jsonb_agg(c) FROM (
      SELECT to_jsonb(n) || '{"sign": 1}' AS c FROM new_rows n
      UNION ALL SELECT to_jsonb(o) || '{"sign": -1}' FROM old_rows o) x));
  ELSE
    PERFORM stats_apply_messages((SELECT jsonb_agg(to_jsonb(o) || '{"sign": -1}') FROM old_rows o));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_messages_inserted AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_messages_changed();
CREATE TRIGGER stats_messages_updated AFTER UPDATE ON messages
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_messages_changed();
CREATE TRIGGER stats_messages_deleted AFTER DELETE ON messages
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_messages_changed();

-- Links make recipients (with their variant) and URLs (with zeros until someone clicks).
CREATE FUNCTION stats_links_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER stats_links_inserted AFTER INSERT ON links
  REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION stats_links_inserted();

-- Backfill from what is already stored.
INSERT INTO stats_urls (campaign_id, url) SELECT DISTINCT campaign_id, destination FROM links ON CONFLICT DO NOTHING;
INSERT INTO stats_recipients (campaign_id, recipient, link_variant)
  SELECT campaign_id, recipient, min(variant) FROM links GROUP BY 1, 2;
SELECT stats_apply_messages(jsonb_agg(to_jsonb(m) || '{"sign": 1}')) FROM messages m HAVING count(*) > 0;
INSERT INTO stats_pending (event_id, campaign_id) SELECT id, campaign_id FROM events WHERE type <> 'bot';

-- Down Migration
DROP TRIGGER stats_links_inserted ON links;
DROP TRIGGER stats_messages_inserted ON messages;
DROP TRIGGER stats_messages_updated ON messages;
DROP TRIGGER stats_messages_deleted ON messages;
DROP TRIGGER stats_events_inserted ON events;
DROP FUNCTION stats_links_inserted();
DROP FUNCTION stats_messages_changed();
DROP FUNCTION stats_apply_messages(jsonb);
DROP FUNCTION stats_events_inserted();
DROP FUNCTION stats_fold(integer, text);
DROP FUNCTION stats_event_rollup_statements(text);
DROP FUNCTION stats_slot(timestamptz);
DROP TABLE stats_pending, stats_currencies, stats_slots, stats_dimensions, stats_urls, stats_recipient_urls, stats_recipients;
