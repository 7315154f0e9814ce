-- Up Migration

-- Send-time optimisation's per-recipient part, precomputed: each recipient's clicks by hour of day
-- on their own clock (the time zone of their number's country), kept up to date as clicks are
-- stored, with the best hour beside them. POST /api/v1/send-times then reads one row per recipient
-- instead of every 15-minute slot they ever clicked in (stats_recipient_slots, migration 020): the
-- per-recipient part of a 1,000,000-recipient audience went from 1,000,000 index lookups of
-- several rows plus a GROUP BY to a lookup of one small row each (docs/stats.md#send-times).
--
-- Daylight saving time is exact: each click is counted at the local hour it had when it happened
-- (occurred_at AT TIME ZONE zone), as the slotted read did. A histogram kept in UTC hours could not
-- be: converting it afterwards with one offset puts half a year's clicks an hour off.
--
-- The zone of a number comes from send_time_zones, which the server fills at boot from its own
-- table (server/src/send-times/recipient-zone.ts, the one list): the longest calling code that
-- matches, else UTC. A row carries the zone it was counted in; if that list changes and a row's
-- zone is no longer the recipient's, the server reads that recipient from the slots instead, and a
-- row that got clicks in two zones is marked '' (never matches) for the same reason.

CREATE TABLE send_time_zones (
  calling_code  text PRIMARY KEY,
  zone          text NOT NULL
);

CREATE FUNCTION send_time_zone(recipient text) RETURNS text
  LANGUAGE sql STABLE
  AS $$
    SELECT coalesce(
      (SELECT zone FROM send_time_zones WHERE calling_code = substr(recipient, 2, 3)),
      (SELECT zone FROM send_time_zones WHERE calling_code = substr(recipient, 2, 2)),
      (SELECT zone FROM send_time_zones WHERE calling_code = substr(recipient, 2, 1)),
      'UTC')
  $$;

-- The hour (0–23) with the most clicks; a tie goes to the earliest hour. Null without clicks.
CREATE FUNCTION send_time_best_hour(hours integer[]) RETURNS integer
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT (i - 1)::integer FROM unnest(hours) WITH ORDINALITY AS h(n, i)
    WHERE n > 0 ORDER BY n DESC, i LIMIT 1
  $$;

CREATE TABLE recipient_click_hours (
  recipient  text NOT NULL,
  zone       text NOT NULL,
  hours      integer[] NOT NULL,   -- 24 counters: clicks at local hour 0 … 23 in zone
  clicks     integer NOT NULL,
  best_hour  integer GENERATED ALWAYS AS (send_time_best_hour(hours)) STORED,
  -- what a send-times request reads, from the index alone once the table is vacuumed
  PRIMARY KEY (recipient) INCLUDE (zone, best_hour, clicks)
);

-- A batch of click events as rows of recipient_click_hours: each recipient's clicks by local hour.
CREATE FUNCTION recipient_click_hours_of(batch_recipients text[], batch_times timestamptz[])
  RETURNS TABLE (recipient text, zone text, hours integer[], clicks integer)
  LANGUAGE sql STABLE
  AS $$
    WITH clicks AS (
      SELECT c.recipient, send_time_zone(c.recipient) AS zone, c.at
      FROM unnest(batch_recipients, batch_times) AS c(recipient, at)
    ), per_hour AS (
      SELECT recipient, zone, extract(hour FROM at AT TIME ZONE zone)::int AS hour, count(*)::int AS n
      FROM clicks GROUP BY 1, 2, 3
    )
    SELECT r.recipient, r.zone,
           array_agg(coalesce(p.n, 0) ORDER BY g.hour),
           sum(coalesce(p.n, 0))::int
    FROM (SELECT DISTINCT recipient, zone FROM per_hour) r
    CROSS JOIN generate_series(0, 23) AS g(hour)
    LEFT JOIN per_hour p ON p.recipient = r.recipient AND p.zone = r.zone AND p.hour = g.hour
    GROUP BY 1, 2
  $$;

-- Rows are written in recipient order, so two batches that share recipients wait for each other
-- instead of deadlocking.
CREATE FUNCTION recipient_click_hours_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO recipient_click_hours AS h (recipient, zone, hours, clicks)
  SELECT b.* FROM (
    SELECT array_agg(recipient) AS r, array_agg(occurred_at) AS t
    FROM new_events WHERE type = 'click' AND recipient IS NOT NULL AND recipient <> ''
  ) n CROSS JOIN LATERAL recipient_click_hours_of(n.r, n.t) b
  WHERE n.r IS NOT NULL
  ORDER BY b.recipient
  ON CONFLICT (recipient) DO UPDATE SET
    zone = CASE WHEN h.zone = excluded.zone THEN h.zone ELSE '' END,
    hours = ARRAY(SELECT a + b FROM unnest(h.hours, excluded.hours) WITH ORDINALITY AS x(a, b, i) ORDER BY i),
    clicks = h.clicks + excluded.clicks;
  RETURN NULL;
END $$;

-- A deleted campaign takes its clicks out of its recipients' hours, as it takes them out of the slots.
CREATE FUNCTION recipient_click_hours_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE recipient_click_hours h SET
    zone = CASE WHEN h.zone = d.zone THEN h.zone ELSE '' END,
    hours = ARRAY(SELECT greatest(a - b, 0) FROM unnest(h.hours, d.hours) WITH ORDINALITY AS x(a, b, i) ORDER BY i),
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

CREATE TRIGGER recipient_click_hours_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION recipient_click_hours_inserted();
CREATE TRIGGER recipient_click_hours_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS old_events
  FOR EACH STATEMENT EXECUTE FUNCTION recipient_click_hours_deleted();

-- Clicks stored before this migration are counted once, by the first server to boot with it
-- (server/src/send-times/click-hours.ts), after it has filled send_time_zones: those with an id up
-- to this one. Later ones are counted by the trigger.
CREATE TABLE recipient_click_hours_backfill (
  up_to_event_id  bigint NOT NULL
);
INSERT INTO recipient_click_hours_backfill (up_to_event_id)
  SELECT coalesce(max(id), 0) FROM events;

-- Down Migration
DROP TABLE recipient_click_hours_backfill;
DROP TRIGGER recipient_click_hours_deleted ON events;
DROP TRIGGER recipient_click_hours_inserted ON events;
DROP FUNCTION recipient_click_hours_deleted();
DROP FUNCTION recipient_click_hours_inserted();
DROP FUNCTION recipient_click_hours_of(text[], timestamptz[]);
DROP TABLE recipient_click_hours;
DROP FUNCTION send_time_best_hour(integer[]);
DROP FUNCTION send_time_zone(text);
DROP TABLE send_time_zones;
