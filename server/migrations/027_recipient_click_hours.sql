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

-- One counter per local hour (h00 … h23) rather than an array: the trigger adds a batch with
-- plain sums, which costs the insert path far less than merging arrays element by element.
CREATE TABLE recipient_click_hours (
  recipient  text NOT NULL,
  zone       text NOT NULL,
  h00 integer NOT NULL DEFAULT 0,
  h01 integer NOT NULL DEFAULT 0,
  h02 integer NOT NULL DEFAULT 0,
  h03 integer NOT NULL DEFAULT 0,
  h04 integer NOT NULL DEFAULT 0,
  h05 integer NOT NULL DEFAULT 0,
  h06 integer NOT NULL DEFAULT 0,
  h07 integer NOT NULL DEFAULT 0,
  h08 integer NOT NULL DEFAULT 0,
  h09 integer NOT NULL DEFAULT 0,
  h10 integer NOT NULL DEFAULT 0,
  h11 integer NOT NULL DEFAULT 0,
  h12 integer NOT NULL DEFAULT 0,
  h13 integer NOT NULL DEFAULT 0,
  h14 integer NOT NULL DEFAULT 0,
  h15 integer NOT NULL DEFAULT 0,
  h16 integer NOT NULL DEFAULT 0,
  h17 integer NOT NULL DEFAULT 0,
  h18 integer NOT NULL DEFAULT 0,
  h19 integer NOT NULL DEFAULT 0,
  h20 integer NOT NULL DEFAULT 0,
  h21 integer NOT NULL DEFAULT 0,
  h22 integer NOT NULL DEFAULT 0,
  h23 integer NOT NULL DEFAULT 0,
  clicks     integer NOT NULL,
  -- the hour with the most clicks, the earliest on a tie (CASE takes the first that matches); null
  -- without clicks. A plain expression: a function here would be planned again on every row.
  best_hour  integer GENERATED ALWAYS AS (
    CASE greatest(h00, h01, h02, h03, h04, h05, h06, h07, h08, h09, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23)
      WHEN 0 THEN NULL
      WHEN h00 THEN 0 WHEN h01 THEN 1 WHEN h02 THEN 2 WHEN h03 THEN 3 WHEN h04 THEN 4 WHEN h05 THEN 5 WHEN h06 THEN 6 WHEN h07 THEN 7 WHEN h08 THEN 8 WHEN h09 THEN 9 WHEN h10 THEN 10 WHEN h11 THEN 11 WHEN h12 THEN 12 WHEN h13 THEN 13 WHEN h14 THEN 14 WHEN h15 THEN 15 WHEN h16 THEN 16 WHEN h17 THEN 17 WHEN h18 THEN 18 WHEN h19 THEN 19 WHEN h20 THEN 20 WHEN h21 THEN 21 WHEN h22 THEN 22 WHEN h23 THEN 23
    END) STORED,
  -- what a send-times request reads, from the index alone once the table is vacuumed
  PRIMARY KEY (recipient) INCLUDE (zone, best_hour, clicks)
);

-- A batch of click events as rows of recipient_click_hours: each recipient's clicks by local hour.
CREATE FUNCTION recipient_click_hours_of(batch_recipients text[], batch_times timestamptz[])
  RETURNS TABLE (recipient text, zone text, h00 integer, h01 integer, h02 integer, h03 integer, h04 integer, h05 integer, h06 integer, h07 integer, h08 integer, h09 integer, h10 integer, h11 integer, h12 integer, h13 integer, h14 integer, h15 integer, h16 integer, h17 integer, h18 integer, h19 integer, h20 integer, h21 integer, h22 integer, h23 integer, clicks integer)
  LANGUAGE sql STABLE
  AS $$
    SELECT recipient, zone,
           count(*) FILTER (WHERE hour = 0)::int,
           count(*) FILTER (WHERE hour = 1)::int,
           count(*) FILTER (WHERE hour = 2)::int,
           count(*) FILTER (WHERE hour = 3)::int,
           count(*) FILTER (WHERE hour = 4)::int,
           count(*) FILTER (WHERE hour = 5)::int,
           count(*) FILTER (WHERE hour = 6)::int,
           count(*) FILTER (WHERE hour = 7)::int,
           count(*) FILTER (WHERE hour = 8)::int,
           count(*) FILTER (WHERE hour = 9)::int,
           count(*) FILTER (WHERE hour = 10)::int,
           count(*) FILTER (WHERE hour = 11)::int,
           count(*) FILTER (WHERE hour = 12)::int,
           count(*) FILTER (WHERE hour = 13)::int,
           count(*) FILTER (WHERE hour = 14)::int,
           count(*) FILTER (WHERE hour = 15)::int,
           count(*) FILTER (WHERE hour = 16)::int,
           count(*) FILTER (WHERE hour = 17)::int,
           count(*) FILTER (WHERE hour = 18)::int,
           count(*) FILTER (WHERE hour = 19)::int,
           count(*) FILTER (WHERE hour = 20)::int,
           count(*) FILTER (WHERE hour = 21)::int,
           count(*) FILTER (WHERE hour = 22)::int,
           count(*) FILTER (WHERE hour = 23)::int,
           count(*)::int
    FROM (
      -- the zones joined by hash (a few hundred calling codes), not looked up click by click
      SELECT c.recipient, z.zone, extract(hour FROM c.at AT TIME ZONE z.zone)::int AS hour
      FROM unnest(batch_recipients, batch_times) AS c(recipient, at)
      JOIN (
        SELECT r.recipient, coalesce(z3.zone, z2.zone, z1.zone, 'UTC') AS zone
        FROM (SELECT DISTINCT recipient FROM unnest(batch_recipients) AS u(recipient)) r
        LEFT JOIN send_time_zones z3 ON z3.calling_code = substr(r.recipient, 2, 3)
        LEFT JOIN send_time_zones z2 ON z2.calling_code = substr(r.recipient, 2, 2)
        LEFT JOIN send_time_zones z1 ON z1.calling_code = substr(r.recipient, 2, 1)
      ) z ON z.recipient = c.recipient
    ) clicks
    GROUP BY recipient, zone
  $$;

-- Adds a batch of clicks (the trigger below, and the count of clicks stored before this
-- migration). Rows are written in recipient order, so two batches that share recipients wait for
-- each other instead of deadlocking.
CREATE FUNCTION recipient_click_hours_add(batch_recipients text[], batch_times timestamptz[])
  RETURNS void LANGUAGE sql
  AS $$
    INSERT INTO recipient_click_hours AS h (recipient, zone, h00, h01, h02, h03, h04, h05, h06, h07, h08, h09, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, clicks)
    SELECT * FROM recipient_click_hours_of(batch_recipients, batch_times) b
    ORDER BY b.recipient
    ON CONFLICT (recipient) DO UPDATE SET
      zone = CASE WHEN h.zone = excluded.zone THEN h.zone ELSE '' END,
      h00 = h.h00 + excluded.h00,
      h01 = h.h01 + excluded.h01,
      h02 = h.h02 + excluded.h02,
      h03 = h.h03 + excluded.h03,
      h04 = h.h04 + excluded.h04,
      h05 = h.h05 + excluded.h05,
      h06 = h.h06 + excluded.h06,
      h07 = h.h07 + excluded.h07,
      h08 = h.h08 + excluded.h08,
      h09 = h.h09 + excluded.h09,
      h10 = h.h10 + excluded.h10,
      h11 = h.h11 + excluded.h11,
      h12 = h.h12 + excluded.h12,
      h13 = h.h13 + excluded.h13,
      h14 = h.h14 + excluded.h14,
      h15 = h.h15 + excluded.h15,
      h16 = h.h16 + excluded.h16,
      h17 = h.h17 + excluded.h17,
      h18 = h.h18 + excluded.h18,
      h19 = h.h19 + excluded.h19,
      h20 = h.h20 + excluded.h20,
      h21 = h.h21 + excluded.h21,
      h22 = h.h22 + excluded.h22,
      h23 = h.h23 + excluded.h23,
      clicks = h.clicks + excluded.clicks
  $$;

CREATE FUNCTION recipient_click_hours_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM recipient_click_hours_add(array_agg(recipient), array_agg(occurred_at))
  FROM new_events WHERE type = 'click' AND recipient IS NOT NULL AND recipient <> ''
  HAVING count(*) > 0;
  RETURN NULL;
END $$;

-- A deleted campaign takes its clicks out of its recipients' hours, as it takes them out of the slots.
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
DROP FUNCTION recipient_click_hours_add(text[], timestamptz[]);
DROP FUNCTION recipient_click_hours_of(text[], timestamptz[]);
DROP TABLE recipient_click_hours;
DROP TABLE send_time_zones;
