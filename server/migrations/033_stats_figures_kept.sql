-- Up Migration

-- A whole campaign's totals, variants and waves, kept as they change instead of summed over every
-- recipient's rollup row on each request.
--
-- The whole-campaign answer summed stats_recipients and stats_wave_recipients (one row per
-- recipient, and per recipient and wave) on every request: about 110 and 70 ms for 100,000
-- recipients on the bench machine, most of a whole campaign's time. Here every statement that
-- changes those rows (the fold, the links and messages triggers, an erasure) adds, per campaign and
-- variant (and per campaign and wave), what its rows count now less what they counted before: a
-- row of differences, inserted, never updated, so writers never wait on each other. A request sums
-- the campaign's rows (a handful); the background folder merges a campaign's rows into one once
-- they pile up (stats_figures_merge, below). The counts are those of the rollup statement
-- (server/src/stats/stats.sql.ts) to the letter: a recipient is counted once per variant, '' (the
-- anonymous Do-Not-Track hits) only in clicks and views, delivered wins over failed.
CREATE TABLE stats_variant_figures (
  campaign_id text NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  variant text,
  recipients bigint NOT NULL,
  sent bigint NOT NULL,
  delivered bigint NOT NULL,
  failed bigint NOT NULL,
  views bigint NOT NULL,
  unique_viewers bigint NOT NULL,
  clicks bigint NOT NULL,
  unique_clickers bigint NOT NULL,
  conversions bigint NOT NULL,
  unique_converters bigint NOT NULL,
  converted_clickers bigint NOT NULL,
  revenue numeric NOT NULL,
  segments bigint NOT NULL
);
CREATE INDEX stats_variant_figures_campaign ON stats_variant_figures (campaign_id);

CREATE TABLE stats_wave_figures (
  campaign_id text NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  wave text NOT NULL,
  -- the earliest first_seen_at of the rows added (a wave's rows are removed only with their
  -- campaign, or moved by an erasure that keeps it)
  first_seen timestamptz,
  recipients bigint NOT NULL,
  sent bigint NOT NULL,
  delivered bigint NOT NULL,
  failed bigint NOT NULL,
  views bigint NOT NULL,
  unique_viewers bigint NOT NULL,
  clicks bigint NOT NULL,
  unique_clickers bigint NOT NULL,
  conversions bigint NOT NULL,
  unique_converters bigint NOT NULL,
  converted_clickers bigint NOT NULL,
  revenue numeric NOT NULL,
  segments bigint NOT NULL
);
CREATE INDEX stats_wave_figures_campaign ON stats_wave_figures (campaign_id);

-- The counts of rollup rows (of stats_recipients or stats_wave_recipients, each with a column
-- `sign`: 1 for a row as it is now, -1 for a row as it was) as one SELECT list of sums; `person`
-- says which rows are recipients.
CREATE FUNCTION stats_figures_counts(person text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $f$ SELECT replace($$
         sum(sign * ({person})::int), sum(sign * (messages_charged > 0)::int),
         sum(sign * (messages_delivered > 0 OR delivered_events > 0)::int),
         sum(sign * ((messages_failed > 0 OR failed_events > 0) AND NOT (messages_delivered > 0 OR delivered_events > 0))::int),
         sum(sign * views), sum(sign * ({person} AND views > 0)::int),
         sum(sign * clicks), sum(sign * ({person} AND clicks > 0)::int),
         sum(sign * conversions), sum(sign * ({person} AND conversions > 0)::int),
         sum(sign * ({person} AND conversions > 0 AND clicks > 0)::int),
         sum(sign * revenue), sum(sign * segments)$$, '{person}', person) $f$;

-- The rows a statement changed, from its transition tables (named alike in every trigger below:
-- `now_rows` as the rows are, `then_rows` as they were), each with its sign.
CREATE FUNCTION stats_figures_rows(operation text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE operation
         WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM now_rows'
         WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM then_rows'
         ELSE 'SELECT 1 AS sign, * FROM now_rows UNION ALL SELECT -1, * FROM then_rows' END $$;

-- One trigger function for the three statements of each table.
CREATE FUNCTION stats_variant_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($sql$
    INSERT INTO stats_variant_figures
    SELECT campaign_id, CASE WHEN recipient <> '' THEN coalesce(message_variant, link_variant, event_variant) END, %s
    FROM (%s) r
    -- the rows of a campaign being deleted go with it (no figures to keep)
    WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = r.campaign_id)
    GROUP BY 1, 2$sql$,
    stats_figures_counts('recipient <> '''''),
    stats_figures_rows(TG_OP));
  RETURN NULL;
END $$;

CREATE FUNCTION stats_wave_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($sql$
    INSERT INTO stats_wave_figures
    SELECT campaign_id, wave, min(first_seen_at) FILTER (WHERE sign > 0), %s
    FROM (%s) r
    WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = r.campaign_id)
    GROUP BY 1, 2$sql$,
    stats_figures_counts('true'),
    stats_figures_rows(TG_OP));
  RETURN NULL;
END $$;

CREATE TRIGGER stats_variant_figures_inserted AFTER INSERT ON stats_recipients
  REFERENCING NEW TABLE AS now_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_variant_figures_changed();
CREATE TRIGGER stats_variant_figures_updated AFTER UPDATE ON stats_recipients
  REFERENCING OLD TABLE AS then_rows NEW TABLE AS now_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stats_variant_figures_changed();
CREATE TRIGGER stats_variant_figures_deleted AFTER DELETE ON stats_recipients
  REFERENCING OLD TABLE AS then_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_variant_figures_changed();

CREATE TRIGGER stats_wave_figures_inserted AFTER INSERT ON stats_wave_recipients
  REFERENCING NEW TABLE AS now_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_wave_figures_changed();
CREATE TRIGGER stats_wave_figures_updated AFTER UPDATE ON stats_wave_recipients
  REFERENCING OLD TABLE AS then_rows NEW TABLE AS now_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stats_wave_figures_changed();
CREATE TRIGGER stats_wave_figures_deleted AFTER DELETE ON stats_wave_recipients
  REFERENCING OLD TABLE AS then_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_wave_figures_changed();

-- Merges the rows of every campaign that has at least `min_rows` of them in either table into one
-- row per variant or wave; the sums stay the same. Rows inserted meanwhile are not in the snapshot
-- of the DELETE and stay; two merges at once each merge only the rows they deleted.
CREATE FUNCTION stats_figures_merge(min_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  merged integer := 0;
  n integer;
BEGIN
  WITH busy AS (
    SELECT campaign_id FROM stats_variant_figures GROUP BY 1 HAVING count(*) >= min_rows
  ), gone AS (
    DELETE FROM stats_variant_figures f USING busy b WHERE f.campaign_id = b.campaign_id RETURNING f.*
  )
  INSERT INTO stats_variant_figures
  SELECT campaign_id, variant, sum(recipients), sum(sent), sum(delivered), sum(failed), sum(views),
         sum(unique_viewers), sum(clicks), sum(unique_clickers), sum(conversions), sum(unique_converters),
         sum(converted_clickers), sum(revenue), sum(segments)
  FROM gone GROUP BY 1, 2;
  GET DIAGNOSTICS n = ROW_COUNT;
  merged := merged + n;
  WITH busy AS (
    SELECT campaign_id FROM stats_wave_figures GROUP BY 1 HAVING count(*) >= min_rows
  ), gone AS (
    DELETE FROM stats_wave_figures f USING busy b WHERE f.campaign_id = b.campaign_id RETURNING f.*
  )
  INSERT INTO stats_wave_figures
  SELECT campaign_id, wave, min(first_seen), sum(recipients), sum(sent), sum(delivered), sum(failed),
         sum(views), sum(unique_viewers), sum(clicks), sum(unique_clickers), sum(conversions),
         sum(unique_converters), sum(converted_clickers), sum(revenue), sum(segments)
  FROM gone GROUP BY 1, 2;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN merged + n;
END $$;

-- The median wait from the first send to the first click, read in order from an index instead of
-- sorting every recipient's wait on each request (the rollup statement's other per-recipient pass).
CREATE INDEX stats_recipients_first_click_wait ON stats_recipients
  (campaign_id, (greatest(0, extract(epoch FROM first_click_at - sent_at))))
  WHERE first_click_at IS NOT NULL AND sent_at IS NOT NULL;

-- What the rollups hold now.
INSERT INTO stats_variant_figures
SELECT campaign_id, CASE WHEN recipient <> '' THEN coalesce(message_variant, link_variant, event_variant) END,
       count(*) FILTER (WHERE recipient <> ''), count(*) FILTER (WHERE messages_charged > 0),
       count(*) FILTER (WHERE messages_delivered > 0 OR delivered_events > 0),
       count(*) FILTER (WHERE (messages_failed > 0 OR failed_events > 0) AND NOT (messages_delivered > 0 OR delivered_events > 0)),
       sum(views), count(*) FILTER (WHERE recipient <> '' AND views > 0),
       sum(clicks), count(*) FILTER (WHERE recipient <> '' AND clicks > 0),
       sum(conversions), count(*) FILTER (WHERE recipient <> '' AND conversions > 0),
       count(*) FILTER (WHERE recipient <> '' AND conversions > 0 AND clicks > 0),
       sum(revenue), sum(segments)
FROM stats_recipients GROUP BY 1, 2;
INSERT INTO stats_wave_figures
SELECT campaign_id, wave, min(first_seen_at), count(*), count(*) FILTER (WHERE messages_charged > 0),
       count(*) FILTER (WHERE messages_delivered > 0 OR delivered_events > 0),
       count(*) FILTER (WHERE (messages_failed > 0 OR failed_events > 0) AND NOT (messages_delivered > 0 OR delivered_events > 0)),
       sum(views), count(*) FILTER (WHERE views > 0), sum(clicks), count(*) FILTER (WHERE clicks > 0),
       sum(conversions), count(*) FILTER (WHERE conversions > 0),
       count(*) FILTER (WHERE conversions > 0 AND clicks > 0), sum(revenue), sum(segments)
FROM stats_wave_recipients GROUP BY 1, 2;

-- Down Migration
DROP INDEX stats_recipients_first_click_wait;
DROP FUNCTION stats_figures_merge(integer);
DROP TRIGGER stats_wave_figures_deleted ON stats_wave_recipients;
DROP TRIGGER stats_wave_figures_updated ON stats_wave_recipients;
DROP TRIGGER stats_wave_figures_inserted ON stats_wave_recipients;
DROP TRIGGER stats_variant_figures_deleted ON stats_recipients;
DROP TRIGGER stats_variant_figures_updated ON stats_recipients;
DROP TRIGGER stats_variant_figures_inserted ON stats_recipients;
DROP FUNCTION stats_wave_figures_changed();
DROP FUNCTION stats_variant_figures_changed();
DROP FUNCTION stats_figures_rows(text);
DROP FUNCTION stats_figures_counts(text);
DROP TABLE stats_wave_figures;
DROP TABLE stats_variant_figures;
