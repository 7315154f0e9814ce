-- Up Migration

-- Erasure of a person (DELETE /api/v1/recipients/{phone}, server/src/recipients/erasure.ts): one
-- audit line per erasure that changed something, without the number — when, which API key asked,
-- and how many rows of each kind were removed or pseudonymised.
CREATE TABLE erasures (
  id                   text PRIMARY KEY,
  erased_at            timestamptz NOT NULL DEFAULT now(),
  key_id               text NOT NULL,   -- 'env' for API_KEY, else an api_keys id
  campaigns            integer NOT NULL,
  links                integer NOT NULL,
  messages             integer NOT NULL,
  events               integer NOT NULL,
  metadata             integer NOT NULL,
  deliveries_cancelled integer NOT NULL,
  opt_out_kept         boolean NOT NULL
);
CREATE INDEX erasures_newest ON erasures (erased_at DESC);

-- Receipts of webhook deliveries (POST /api/v1/webhooks/{id}/receipts, webhooks/receipts.ts): the
-- trigger node records a delivery's webhook-id before it starts its workflow, and drops a delivery
-- whose id has a receipt already, even after n8n restarted (n8n does not save static data written
-- in webhook()). No foreign key to webhook_deliveries: a receipt is only the id the receiver saw.
-- Receipts older than 7 days (retries stop after about 3) are deleted.
CREATE TABLE webhook_receipts (
  subscription_id  text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  delivery_id      text NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscription_id, delivery_id)
);
CREATE INDEX webhook_receipts_received_at ON webhook_receipts (received_at);

-- Do-Not-Track anonymous hits (DO_NOT_TRACK=anonymous) are stored without a recipient. They count
-- in the campaign's clicks and views: the per-recipient rollup keeps them in one row per campaign
-- under the recipient '' (the convention of stats_recipient_slots), which the evaluation counts
-- for clicks and views but never as a recipient or a unique clicker (stats/stats.sql.ts), and the
-- recipients list leaves out. Conversions without a recipient stay out of it, as before.
-- Redefined here: stats_event_rollup_statements (its first statement) and stats_fold (which
-- inlines the statements when it is created; otherwise as migration 012 left it).
CREATE OR REPLACE FUNCTION stats_event_rollup_statements(source text) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT array_agg(replace(stmt, '{source}', source) ORDER BY n) FROM unnest(ARRAY[
$sql$
INSERT INTO stats_recipients AS s (campaign_id, recipient, event_variant, views, clicks, conversions, revenue,
    delivered_events, failed_events, first_click_at, last_click_at)
  SELECT e.campaign_id, coalesce(e.recipient, ''), max(e.variant),
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
  WHERE e.type <> 'bot' AND (e.recipient IS NOT NULL OR e.type IN ('click', 'view'))
  GROUP BY 1, 2
  ORDER BY 1, 2
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

-- Down Migration
CREATE OR REPLACE FUNCTION stats_event_rollup_statements(source text) RETURNS text[]
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
DELETE FROM stats_recipients WHERE recipient = '';
DROP TABLE webhook_receipts;
DROP TABLE erasures;
