-- Up Migration

-- Inserts into events take their lock on events, then on stats_pending (the queue trigger): this
-- migration takes them in the same order, so a server storing events meanwhile waits for it
-- instead of deadlocking with it.
LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE;
LOCK TABLE stats_pending IN ACCESS EXCLUSIVE MODE;

-- The stats queue carries each event's time beside its id. Events are partitioned by month of
-- that time (migration 024, primary key (id, occurred_at)): stats_fold() looks a queued event up
-- by both, so each lookup reads the index of one month instead of one index per month. Joined by
-- id alone, a batch of 20,000 was planned as a merge join over every partition's whole primary
-- key (all events, each batch: seen with 400,000 events over 12 months). The lookup is a LATERAL subquery with LIMIT 1 so that it stays
-- one probe per event: the planner does not flatten it into a join, and the probe's partition is
-- chosen as it runs (the planner would otherwise cost every partition).
ALTER TABLE stats_pending ADD COLUMN occurred_at timestamptz;
UPDATE stats_pending p SET occurred_at = e.occurred_at FROM events e WHERE e.id = p.event_id;
-- a queued id without its event (the fold would skip it) has no time to carry
DELETE FROM stats_pending WHERE occurred_at IS NULL;
ALTER TABLE stats_pending ALTER COLUMN occurred_at SET NOT NULL;

CREATE OR REPLACE FUNCTION stats_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_pending (event_id, campaign_id, occurred_at)
  SELECT id, campaign_id, occurred_at FROM new_events WHERE type <> 'bot'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Best hours (recipient_click_hours, migration 027) are counted by the fold instead of a trigger
-- on the events insert, like every other rollup: storing a batch of clicks no longer upserts one
-- row per recipient in the same statement (the journal loader's events/s had halved), and a fold
-- batch (20,000 events) adds a recipient's clicks of the whole batch at once. The hours are as
-- fresh as the rest of the stats: POST /api/v1/send-times folds the queue before it reads them.
DROP TRIGGER recipient_click_hours_inserted ON events;
DROP FUNCTION recipient_click_hours_inserted();

-- Clicks up to this event id were counted by migration 027's trigger or its one-off count
-- (recipient_click_hours_backfill, which may still be waiting for the next boot), including those
-- still queued now; the fold counts the later ones, so none is counted twice.
CREATE TABLE recipient_click_hours_folded_after (
  event_id  bigint NOT NULL
);
INSERT INTO recipient_click_hours_folded_after (event_id) SELECT coalesce(max(id), 0) FROM events;

-- A PL/pgSQL statement (PERFORM), for stats_fold() only. Only phone numbers are counted: a queued
-- click of a person erased meanwhile carries a pseudonym, and best hours are of use only to text.
CREATE FUNCTION recipient_click_hours_statements(source text) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT ARRAY[replace($sql$
PERFORM recipient_click_hours_add(array_agg(recipient), array_agg(occurred_at))
  FROM {source}
  WHERE type = 'click' AND recipient LIKE '+%'
    AND id > (SELECT event_id FROM recipient_click_hours_folded_after)
  HAVING count(*) > 0
$sql$, '{source}', source)] $fn$;

-- Deleted events (a campaign's, by its cascade) leave the queue here, and only the clicks already
-- counted leave the best hours: a queued click was not counted yet. This replaces migration 007's
-- trigger that emptied a deleted campaign's queue before its events went, and 027's delete trigger.
DROP TRIGGER campaigns_deleted_forget_pending ON campaigns;
DROP FUNCTION stats_pending_forget_campaign();
DROP TRIGGER recipient_click_hours_deleted ON events;
DROP FUNCTION recipient_click_hours_deleted();

CREATE FUNCTION stats_events_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH unqueued AS (
    DELETE FROM stats_pending p USING old_events o
    WHERE p.event_id = o.id
    RETURNING p.event_id
  )
  UPDATE recipient_click_hours h SET
    zone = CASE WHEN h.zone = d.zone THEN h.zone ELSE '' END,
    h00 = greatest(h.h00 - d.h00, 0),
    h01 = greatest(h.h01 - d.h01, 0),
    h02 = greatest(h.h02 - d.h02, 0),
    h03 = greatest(h.h03 - d.h03, 0),
    h04 = greatest(h.h04 - d.h04, 0),
    h05 = greatest(h.h05 - d.h05, 0),
    h06 = greatest(h.h06 - d.h06, 0),
    h07 = greatest(h.h07 - d.h07, 0),
    h08 = greatest(h.h08 - d.h08, 0),
    h09 = greatest(h.h09 - d.h09, 0),
    h10 = greatest(h.h10 - d.h10, 0),
    h11 = greatest(h.h11 - d.h11, 0),
    h12 = greatest(h.h12 - d.h12, 0),
    h13 = greatest(h.h13 - d.h13, 0),
    h14 = greatest(h.h14 - d.h14, 0),
    h15 = greatest(h.h15 - d.h15, 0),
    h16 = greatest(h.h16 - d.h16, 0),
    h17 = greatest(h.h17 - d.h17, 0),
    h18 = greatest(h.h18 - d.h18, 0),
    h19 = greatest(h.h19 - d.h19, 0),
    h20 = greatest(h.h20 - d.h20, 0),
    h21 = greatest(h.h21 - d.h21, 0),
    h22 = greatest(h.h22 - d.h22, 0),
    h23 = greatest(h.h23 - d.h23, 0),
    clicks = greatest(h.clicks - d.clicks, 0)
  FROM (
    SELECT b.* FROM (
      SELECT array_agg(recipient) AS r, array_agg(occurred_at) AS t
      FROM old_events o
      WHERE type = 'click' AND recipient LIKE '+%'
        AND (o.id <= (SELECT event_id FROM recipient_click_hours_folded_after)
             OR NOT EXISTS (SELECT 1 FROM unqueued u WHERE u.event_id = o.id))
    ) o CROSS JOIN LATERAL recipient_click_hours_of(o.r, o.t) b
    WHERE o.r IS NOT NULL
    ORDER BY b.recipient
  ) d
  WHERE h.recipient = d.recipient;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_events_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS old_events
  FOR EACH STATEMENT EXECUTE FUNCTION stats_events_deleted();

-- The 15-minute slot of a time, as before (the same slot for every time, before 1970 too), now
-- inlined into the statements that call it: extract(epoch FROM timestamptz) is only STABLE, so
-- PostgreSQL ran the IMMUTABLE function as a query of its own per call, several times per event
-- folded. The epoch of the interval since 1970 is the same number, and immutable (300,000 calls:
-- 3.1 s before, 1.1 s inlined). date_bin() would be faster still, but needs PostgreSQL 14.
CREATE OR REPLACE FUNCTION stats_slot(t timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_timestamp(floor(extract(epoch FROM t - timestamptz '1970-01-01 00:00:00+00') / 900) * 900) $$;

-- stats_fold() as migration 026 left it, with its five statement lists and the best hours' list,
-- taking each queued event by its id and time.
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
      || E'    RETURNING p.event_id, p.occurred_at)\n'
      || E'  INSERT INTO stats_fold_batch SELECT e.* FROM taken t CROSS JOIN LATERAL (\n'
      || E'    SELECT * FROM events x WHERE x.id = t.event_id AND x.occurred_at = t.occurred_at LIMIT 1) e;\n'
      || E'  GET DIAGNOSTICS n = ROW_COUNT;\n'
      || E'  IF n > 0 THEN\n'
      || array_to_string(stats_event_rollup_statements('stats_fold_batch')
           || stats_slot_rollup_statements('stats_fold_batch')
           || stats_wave_rollup_statements('stats_fold_batch')
           || stats_recipient_traits_statements('stats_fold_batch')
           || stats_slot_cells_statements('stats_fold_batch')
           || recipient_click_hours_statements('stats_fold_batch'), E';\n') || E';\n'
      || E'  END IF;\n'
      || E'  DELETE FROM stats_fold_batch;\n'
      || E'  RETURN n;\nEND');
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION stats_slot(t timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_timestamp(floor(extract(epoch FROM t) / 900) * 900) $$;
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
           || stats_recipient_traits_statements('stats_fold_batch')
           || stats_slot_cells_statements('stats_fold_batch'), E';\n') || E';\n'
      || E'  END IF;\n'
      || E'  DELETE FROM stats_fold_batch;\n'
      || E'  RETURN n;\nEND');
END $$;
-- Clicks still queued were not counted into the best hours: the trigger counts them now.
SELECT recipient_click_hours_add(array_agg(e.recipient), array_agg(e.occurred_at))
  FROM stats_pending p JOIN events e ON e.id = p.event_id AND e.occurred_at = p.occurred_at
  WHERE e.type = 'click' AND e.recipient IS NOT NULL AND e.recipient <> ''
    AND e.id > (SELECT event_id FROM recipient_click_hours_folded_after)
  HAVING count(*) > 0;
DROP TRIGGER stats_events_deleted ON events;
DROP FUNCTION stats_events_deleted();
DROP FUNCTION recipient_click_hours_statements(text);
DROP TABLE recipient_click_hours_folded_after;
CREATE FUNCTION recipient_click_hours_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM recipient_click_hours_add(array_agg(recipient), array_agg(occurred_at))
  FROM new_events WHERE type = 'click' AND recipient IS NOT NULL AND recipient <> ''
  HAVING count(*) > 0;
  RETURN NULL;
END $$;
CREATE TRIGGER recipient_click_hours_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION recipient_click_hours_inserted();
CREATE FUNCTION recipient_click_hours_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE recipient_click_hours h SET
    zone = CASE WHEN h.zone = d.zone THEN h.zone ELSE '' END,
    h00 = greatest(h.h00 - d.h00, 0),
    h01 = greatest(h.h01 - d.h01, 0),
    h02 = greatest(h.h02 - d.h02, 0),
    h03 = greatest(h.h03 - d.h03, 0),
    h04 = greatest(h.h04 - d.h04, 0),
    h05 = greatest(h.h05 - d.h05, 0),
    h06 = greatest(h.h06 - d.h06, 0),
    h07 = greatest(h.h07 - d.h07, 0),
    h08 = greatest(h.h08 - d.h08, 0),
    h09 = greatest(h.h09 - d.h09, 0),
    h10 = greatest(h.h10 - d.h10, 0),
    h11 = greatest(h.h11 - d.h11, 0),
    h12 = greatest(h.h12 - d.h12, 0),
    h13 = greatest(h.h13 - d.h13, 0),
    h14 = greatest(h.h14 - d.h14, 0),
    h15 = greatest(h.h15 - d.h15, 0),
    h16 = greatest(h.h16 - d.h16, 0),
    h17 = greatest(h.h17 - d.h17, 0),
    h18 = greatest(h.h18 - d.h18, 0),
    h19 = greatest(h.h19 - d.h19, 0),
    h20 = greatest(h.h20 - d.h20, 0),
    h21 = greatest(h.h21 - d.h21, 0),
    h22 = greatest(h.h22 - d.h22, 0),
    h23 = greatest(h.h23 - d.h23, 0),
    clicks = greatest(h.clicks - d.clicks, 0)
  FROM (
    SELECT b.* FROM (
      SELECT array_agg(recipient) AS r, array_agg(occurred_at) AS t
      FROM old_events WHERE type = 'click' AND recipient IS NOT NULL AND recipient <> ''
    ) o CROSS JOIN LATERAL recipient_click_hours_of(o.r, o.t) b
    WHERE o.r IS NOT NULL
    ORDER BY b.recipient
  ) d
  WHERE h.recipient = d.recipient;
  RETURN NULL;
END $$;
CREATE TRIGGER recipient_click_hours_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS old_events
  FOR EACH STATEMENT EXECUTE FUNCTION recipient_click_hours_deleted();
CREATE FUNCTION stats_pending_forget_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM stats_pending WHERE campaign_id = OLD.id;
  RETURN OLD;
END;
$$;
CREATE TRIGGER campaigns_deleted_forget_pending BEFORE DELETE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION stats_pending_forget_campaign();
CREATE OR REPLACE FUNCTION stats_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_pending (event_id, campaign_id)
  SELECT id, campaign_id FROM new_events WHERE type <> 'bot'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
ALTER TABLE stats_pending DROP COLUMN occurred_at;
