-- Up Migration

-- Events partitioned by month of occurred_at (UTC), so a ranged read touches only its months and
-- old events go by dropping whole partitions (EVENTS_RETENTION_DAYS, server/src/events/retention.ts).
-- The server creates the partitions ahead (server/src/events/partitions.ts); events_default takes
-- any month without one (docs/operations.md#event-partitions).
--
-- A unique index of a partitioned table must hold the partition key. What each unique key of
-- events became, and why it still holds:
-- * id: (id, occurred_at). Ids still come from one identity sequence, so id alone stays unique.
-- * event_key: (event_key, occurred_at), plus event_keys below. The redirect makes a click's,
--   view's or bot's key together with its time at the hit, and every store of that event (a direct
--   commit, the journal loader, a replay after a crash) carries both, so for these a key never
--   comes with two times. Conversions and delivery reports are different: a repeated conversion is
--   reported again later (its time is when it is stored) and a pending one is stored with the time
--   it was received, so their keys are claimed in event_keys, unique on the key alone.
-- * click_id of clicks: (click_id, occurred_at). A click id is made at the hit with the click's
--   time, like the click's key ('click_' || click_id).
-- webhook_deliveries referred to events(id) by a foreign key; it now carries the event's time too
-- (its joins read one partition), without a foreign key, so that dropping a month needs no check
-- of every delivery under a lock of the whole events table: retention deletes a month's deliveries
-- itself, and a campaign's deletion deletes those of its events (below).

ALTER TABLE events RENAME TO events_unpartitioned;
ALTER INDEX events_pkey RENAME TO events_unpartitioned_pkey;
DROP INDEX events_campaign_id, events_campaign_recipient, events_campaign_type_time, events_click_id,
  events_conversion_click;
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_id_fkey;
DROP TRIGGER stats_events_inserted ON events_unpartitioned;
DROP TRIGGER events_stored_notify ON events_unpartitioned;

-- Same columns, defaults, identity, NOT NULL and CHECK constraints (LIKE keeps whatever earlier
-- migrations added); the indexes follow.
CREATE TABLE events (
  LIKE events_unpartitioned INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS,
  PRIMARY KEY (id, occurred_at),
  UNIQUE (event_key, occurred_at),
  CONSTRAINT events_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) PARTITION BY RANGE (occurred_at);
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- Creates the partition of the month holding `month_of` (UTC) unless it exists: events_YYYY_MM for
-- [first of the month, first of the next). Rows the default partition holds for that month move
-- into it (PostgreSQL refuses a new partition while the default holds rows of its range).
-- Several servers may call it at once: the advisory lock makes them take turns. Returns whether it
-- created the partition.
CREATE FUNCTION events_create_month_partition(month_of timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := date_trunc('month', month_of, 'UTC');
  hi timestamptz := date_trunc('month', month_of, 'UTC') + interval '1 month';
  name text := 'events_' || to_char(month_of AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('events_partitions', 0));
  IF to_regclass(name) IS NOT NULL THEN
    RETURN false;
  END IF;
  IF EXISTS (SELECT 1 FROM events_default WHERE occurred_at >= lo AND occurred_at < hi) THEN
    EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
    EXECUTE format('WITH moved AS (DELETE FROM events_default WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *)
                    INSERT INTO %I SELECT * FROM moved', name) USING lo, hi;
    EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
  ELSE
    EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
  END IF;
  RETURN true;
END $$;

-- A month for every month of the stored events (within ten years of now; others go to the default
-- partition), and the current month and the next three.
SELECT events_create_month_partition(m)
FROM (
  SELECT DISTINCT date_trunc('month', occurred_at, 'UTC') AS m FROM events_unpartitioned
  UNION
  SELECT generate_series(date_trunc('month', now(), 'UTC'), now() + interval '3 months', interval '1 month')
) months
WHERE m BETWEEN now() - interval '10 years' AND now() + interval '10 years'
ORDER BY m;

CREATE INDEX events_campaign_id ON events (campaign_id, id);
CREATE INDEX events_campaign_recipient ON events (campaign_id, recipient);
CREATE INDEX events_campaign_type_time ON events (campaign_id, type, occurred_at);
CREATE UNIQUE INDEX events_click_id ON events (click_id, occurred_at) WHERE type = 'click';
CREATE INDEX events_conversion_click ON events (click_id) WHERE type = 'conversion';

-- The keys of events whose time is not part of what they are (see above): conversions and
-- delivery reports. A key is claimed here as its event is inserted, by the trigger below; an event
-- whose key is taken is skipped, as a duplicate key in events always was (ON CONFLICT DO NOTHING).
-- Clicks, views and bots never reach the trigger's function (its WHEN), so the redirect's inserts
-- cost what they did. Keys go with their campaign, and with their events' month (retention).
CREATE TABLE event_keys (
  event_key    text PRIMARY KEY,
  event_id     bigint NOT NULL,
  occurred_at  timestamptz NOT NULL,
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE
);
CREATE INDEX event_keys_occurred_at ON event_keys (occurred_at);

CREATE FUNCTION event_keys_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_keys (event_key, event_id, occurred_at, campaign_id)
  VALUES (NEW.event_key, NEW.id, NEW.occurred_at, NEW.campaign_id)
  ON CONFLICT DO NOTHING;
  IF FOUND THEN
    RETURN NEW;
  END IF;
  RETURN NULL;
END $$;

-- Move the rows: ids kept (the sequence continues after them), the keys claimed once.
INSERT INTO events OVERRIDING SYSTEM VALUE SELECT * FROM events_unpartitioned;
INSERT INTO event_keys (event_key, event_id, occurred_at, campaign_id)
  SELECT event_key, id, occurred_at, campaign_id FROM events_unpartitioned
  WHERE type NOT IN ('click', 'view', 'bot');
SELECT setval(pg_get_serial_sequence('events', 'id'), max(id)) FROM events_unpartitioned HAVING count(*) > 0;

CREATE TRIGGER event_keys_claim BEFORE INSERT ON events
  FOR EACH ROW WHEN (NEW.type NOT IN ('click', 'view', 'bot')) EXECUTE FUNCTION event_keys_claim();

-- The triggers of migrations 006 and 015, with their functions as they were (on a partitioned
-- table they fire for rows of every partition).
CREATE TRIGGER stats_events_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION stats_events_inserted();
CREATE TRIGGER events_stored_notify AFTER INSERT ON events
  FOR EACH STATEMENT EXECUTE FUNCTION notify_events_stored();

-- Deliveries carry their event's time (joins read one partition; retention finds a month's).
ALTER TABLE webhook_deliveries ADD COLUMN event_occurred_at timestamptz;
UPDATE webhook_deliveries d SET event_occurred_at = e.occurred_at
  FROM events_unpartitioned e WHERE e.id = d.event_id;
DELETE FROM webhook_deliveries WHERE event_occurred_at IS NULL;
ALTER TABLE webhook_deliveries ALTER COLUMN event_occurred_at SET NOT NULL;
CREATE INDEX webhook_deliveries_event_time ON webhook_deliveries (event_occurred_at);

DROP TABLE events_unpartitioned;
DO $$ BEGIN
  EXECUTE format('ALTER SEQUENCE %s RENAME TO events_id_seq', pg_get_serial_sequence('events', 'id'));
END $$;

-- What the foreign key's cascade did: a deleted campaign's events take their deliveries with them
-- (subscriptions of other campaigns, or of all, may hold some).
CREATE FUNCTION webhook_deliveries_forget_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM webhook_deliveries d USING events e
  WHERE e.campaign_id = OLD.id AND d.event_id = e.id AND d.event_occurred_at = e.occurred_at;
  RETURN OLD;
END;
$$;
CREATE TRIGGER campaigns_deleted_forget_deliveries BEFORE DELETE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION webhook_deliveries_forget_campaign();

-- Autovacuum analyzes partitions, never a partitioned table itself: its whole-table statistics
-- (used to plan joins with it) are gathered here once.
ANALYZE events;

-- Down Migration
-- Forward only: moving the rows back is not offered.
