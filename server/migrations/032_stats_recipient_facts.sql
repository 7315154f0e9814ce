-- Up Migration

-- What links and messages say about each recipient of a campaign (variant, sent / delivered /
-- failed, segments, first send), and the same per wave, in narrow tables of their own.
--
-- A stats request for a time range needs these facts for every recipient of the campaign (the
-- range's events say only who was active in it). They live in stats_recipients and
-- stats_wave_recipients, whose rows the fold rewrites on every batch that touches their recipient:
-- wide rows (about 180 bytes) in tables that grow to four times their live size between vacuums,
-- 138 MB and 94 MB for a campaign of 100,000 recipients. Reading them was most of a range's time.
-- These copies change only when the facts change (a send, a delivery report, a new recipient), so
-- they stay small and compact, and they name the recipient by number too (stats_recipients.ordinal,
-- migration 025): the wave's rows are matched to the campaign's by number, not by name.
--
-- Kept in step by triggers on the two rollups, whoever writes them (the links and messages
-- triggers, the fold, an erasure): new rows by a statement trigger (the fold's upserts carry only
-- the rows they inserted), changed facts by a row trigger that fires only when one of the facts'
-- columns is set and a fact really changed (the fold never sets them), removed rows by a statement
-- trigger.
--
-- Each row holds its facts as the packed record range-cells.ts reads (big-endian): ordinal int8 |
-- flags int4 (1 sent, that is charged; 2 delivered; 4 failed) | segments int8 | first send float8
-- (ms since the epoch, NaN for none), 28 bytes; a wave's: ordinal | flags | segments, 20 bytes.
-- Packed when written, a range only concatenates them: packing 100,000 records per request took
-- four times as long as reading them.
CREATE TABLE stats_recipient_facts (
  campaign_id text NOT NULL,
  recipient text NOT NULL,
  ordinal bigint NOT NULL,
  variant text,
  record bytea NOT NULL,
  PRIMARY KEY (campaign_id, recipient)
);
-- a range's records are placed by number from the campaign's lowest one to its highest
CREATE INDEX stats_recipient_facts_ordinal ON stats_recipient_facts (campaign_id, ordinal);

CREATE TABLE stats_wave_recipient_facts (
  campaign_id text NOT NULL,
  wave text NOT NULL,
  recipient text NOT NULL,
  ordinal bigint NOT NULL,
  first_seen_at timestamptz NOT NULL,
  record bytea NOT NULL,
  PRIMARY KEY (campaign_id, wave, recipient)
);

CREATE FUNCTION stats_message_flags(charged integer, delivered integer, failed integer) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (charged > 0)::int | ((delivered > 0)::int << 1) | ((failed > 0)::int << 2) $$;

CREATE FUNCTION stats_recipient_fact_record(ordinal bigint, charged integer, delivered integer, failed integer,
    segments bigint, sent_at timestamptz) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT int8send(ordinal) || int4send(stats_message_flags(charged, delivered, failed)) || int8send(segments)
       || float8send(coalesce(extract(epoch FROM sent_at) * 1000, 'NaN')::float8) $$;

CREATE FUNCTION stats_wave_fact_record(ordinal bigint, charged integer, delivered integer, failed integer,
    segments bigint) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT int8send(ordinal) || int4send(stats_message_flags(charged, delivered, failed)) || int8send(segments) $$;

-- '' holds the anonymous Do-Not-Track hits (migration 026): never a recipient.
CREATE FUNCTION stats_recipient_facts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_recipient_facts AS f (campaign_id, recipient, ordinal, variant, record)
  SELECT campaign_id, recipient, ordinal, coalesce(message_variant, link_variant),
         stats_recipient_fact_record(ordinal, messages_charged, messages_delivered, messages_failed, segments, sent_at)
  FROM inserted WHERE recipient <> ''
  ORDER BY 1, 2
  ON CONFLICT (campaign_id, recipient) DO UPDATE SET
    ordinal = excluded.ordinal, variant = excluded.variant, record = excluded.record;
  RETURN NULL;
END $$;

CREATE FUNCTION stats_recipient_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stats_recipient_facts SET
    ordinal = NEW.ordinal,
    variant = coalesce(NEW.message_variant, NEW.link_variant),
    record = stats_recipient_fact_record(NEW.ordinal, NEW.messages_charged, NEW.messages_delivered,
      NEW.messages_failed, NEW.segments, NEW.sent_at)
  WHERE campaign_id = NEW.campaign_id AND recipient = NEW.recipient;
  -- an erasure gives the pseudonym's row the person's number: their wave rows follow
  IF NEW.ordinal <> OLD.ordinal THEN
    UPDATE stats_wave_recipient_facts SET ordinal = NEW.ordinal, record = int8send(NEW.ordinal) || substr(record, 9)
    WHERE campaign_id = NEW.campaign_id AND recipient = NEW.recipient;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION stats_recipient_facts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM stats_recipient_facts f USING removed r
  WHERE f.campaign_id = r.campaign_id AND f.recipient = r.recipient;
  RETURN NULL;
END $$;

-- Every writer of a wave row writes its recipient's stats_recipients row first (the links and
-- messages triggers, the fold, an erasure), so the number is there to be read.
CREATE FUNCTION stats_wave_recipient_facts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_wave_recipient_facts AS f (campaign_id, wave, recipient, ordinal, first_seen_at, record)
  SELECT i.campaign_id, i.wave, i.recipient, r.ordinal, i.first_seen_at,
         stats_wave_fact_record(r.ordinal, i.messages_charged, i.messages_delivered, i.messages_failed, i.segments)
  FROM inserted i
  JOIN stats_recipients r ON r.campaign_id = i.campaign_id AND r.recipient = i.recipient
  ORDER BY 1, 2, 3
  ON CONFLICT (campaign_id, wave, recipient) DO UPDATE SET
    ordinal = excluded.ordinal, first_seen_at = excluded.first_seen_at, record = excluded.record;
  RETURN NULL;
END $$;

CREATE FUNCTION stats_wave_recipient_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stats_wave_recipient_facts SET
    first_seen_at = NEW.first_seen_at,
    record = stats_wave_fact_record(ordinal, NEW.messages_charged, NEW.messages_delivered, NEW.messages_failed,
      NEW.segments)
  WHERE campaign_id = NEW.campaign_id AND wave = NEW.wave AND recipient = NEW.recipient;
  RETURN NULL;
END $$;

CREATE FUNCTION stats_wave_recipient_facts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM stats_wave_recipient_facts f USING removed r
  WHERE f.campaign_id = r.campaign_id AND f.wave = r.wave AND f.recipient = r.recipient;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_recipient_facts_inserted AFTER INSERT ON stats_recipients
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION stats_recipient_facts_inserted();
CREATE TRIGGER stats_recipient_facts_changed
  AFTER UPDATE OF ordinal, message_variant, link_variant, messages_charged, messages_delivered, messages_failed,
    segments, sent_at ON stats_recipients
  FOR EACH ROW WHEN (NEW.recipient <> '' AND (
    NEW.ordinal <> OLD.ordinal
    OR coalesce(NEW.message_variant, NEW.link_variant) IS DISTINCT FROM coalesce(OLD.message_variant, OLD.link_variant)
    OR stats_message_flags(NEW.messages_charged, NEW.messages_delivered, NEW.messages_failed)
       <> stats_message_flags(OLD.messages_charged, OLD.messages_delivered, OLD.messages_failed)
    OR NEW.segments <> OLD.segments
    OR NEW.sent_at IS DISTINCT FROM OLD.sent_at))
  EXECUTE FUNCTION stats_recipient_facts_changed();
CREATE TRIGGER stats_recipient_facts_deleted AFTER DELETE ON stats_recipients
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION stats_recipient_facts_deleted();

CREATE TRIGGER stats_wave_recipient_facts_inserted AFTER INSERT ON stats_wave_recipients
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION stats_wave_recipient_facts_inserted();
CREATE TRIGGER stats_wave_recipient_facts_changed
  AFTER UPDATE OF first_seen_at, messages_charged, messages_delivered, messages_failed, segments
  ON stats_wave_recipients
  FOR EACH ROW WHEN (
    NEW.first_seen_at <> OLD.first_seen_at
    OR stats_message_flags(NEW.messages_charged, NEW.messages_delivered, NEW.messages_failed)
       <> stats_message_flags(OLD.messages_charged, OLD.messages_delivered, OLD.messages_failed)
    OR NEW.segments <> OLD.segments)
  EXECUTE FUNCTION stats_wave_recipient_facts_changed();
CREATE TRIGGER stats_wave_recipient_facts_deleted AFTER DELETE ON stats_wave_recipients
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION stats_wave_recipient_facts_deleted();

-- What is there already. A wave row whose recipient has no stats_recipients row (none should)
-- gets one first, so that it has a number.
INSERT INTO stats_recipients (campaign_id, recipient)
SELECT DISTINCT campaign_id, recipient FROM stats_wave_recipients ORDER BY 1, 2
ON CONFLICT DO NOTHING;
INSERT INTO stats_recipient_facts (campaign_id, recipient, ordinal, variant, record)
SELECT campaign_id, recipient, ordinal, coalesce(message_variant, link_variant),
       stats_recipient_fact_record(ordinal, messages_charged, messages_delivered, messages_failed, segments, sent_at)
FROM stats_recipients WHERE recipient <> ''
ON CONFLICT DO NOTHING;
INSERT INTO stats_wave_recipient_facts (campaign_id, wave, recipient, ordinal, first_seen_at, record)
SELECT w.campaign_id, w.wave, w.recipient, r.ordinal, w.first_seen_at,
       stats_wave_fact_record(r.ordinal, w.messages_charged, w.messages_delivered, w.messages_failed, w.segments)
FROM stats_wave_recipients w
JOIN stats_recipients r ON r.campaign_id = w.campaign_id AND r.recipient = w.recipient
ON CONFLICT DO NOTHING;

-- Down Migration
DROP TRIGGER stats_wave_recipient_facts_deleted ON stats_wave_recipients;
DROP TRIGGER stats_wave_recipient_facts_changed ON stats_wave_recipients;
DROP TRIGGER stats_wave_recipient_facts_inserted ON stats_wave_recipients;
DROP TRIGGER stats_recipient_facts_deleted ON stats_recipients;
DROP TRIGGER stats_recipient_facts_changed ON stats_recipients;
DROP TRIGGER stats_recipient_facts_inserted ON stats_recipients;
DROP FUNCTION stats_wave_recipient_facts_deleted();
DROP FUNCTION stats_wave_recipient_facts_changed();
DROP FUNCTION stats_wave_recipient_facts_inserted();
DROP FUNCTION stats_recipient_facts_deleted();
DROP FUNCTION stats_recipient_facts_changed();
DROP FUNCTION stats_recipient_facts_inserted();
DROP FUNCTION stats_wave_fact_record(bigint, integer, integer, integer, bigint);
DROP FUNCTION stats_recipient_fact_record(bigint, integer, integer, integer, bigint, timestamptz);
DROP FUNCTION stats_message_flags(integer, integer, integer);
DROP TABLE stats_wave_recipient_facts;
DROP TABLE stats_recipient_facts;
