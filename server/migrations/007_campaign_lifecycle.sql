-- Up Migration

-- Archived campaigns keep their links redirecting; lists and the node's picker hide them unless
-- asked for (GET /api/v1/campaigns?status=archived).
ALTER TABLE campaigns ADD COLUMN archived_at timestamptz;

-- The list's order (newest first) and its keyset cursor.
CREATE INDEX campaigns_newest ON campaigns (created_at DESC, id DESC);

-- GET /api/v1/campaigns?search= matches any part of the name, case-insensitively: a trigram index
-- answers lower(name) LIKE '%…%' without reading every campaign. pg_trgm is a trusted extension
-- (the database owner may create it); the embedded PostgreSQL loads it too (db/embedded.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX campaigns_name_search ON campaigns USING gin (lower(name) gin_trgm_ops);

-- Campaign → Create with "if a campaign of this name exists" looks the exact name up.
CREATE INDEX campaigns_name ON campaigns (name);

-- DELETE /api/v1/campaigns/:id takes everything of the campaign with it: links, messages, events,
-- webhook subscriptions and stats rollups cascade by their foreign keys. The stats queue has no
-- foreign key (a check per queued click would slow the redirect), so the deletion clears it here.
CREATE FUNCTION stats_pending_forget_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM stats_pending WHERE campaign_id = OLD.id;
  RETURN OLD;
END;
$$;
-- Messages going with their campaign must not be taken out of stats rows that go with it too (the
-- upsert would recreate them for a campaign that no longer exists): migration 006's function, with
-- the deleted rows of deleted campaigns left out.
CREATE OR REPLACE FUNCTION stats_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stats_apply_messages((SELECT jsonb_agg(to_jsonb(n) || '{"sign": 1}') FROM new_rows n));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM stats_apply_messages((SELECT jsonb_agg(c) FROM (
      SELECT to_jsonb(n) || '{"sign": 1}' AS c FROM new_rows n
      UNION ALL SELECT to_jsonb(o) || '{"sign": -1}' FROM old_rows o) x));
  ELSE
    PERFORM stats_apply_messages((SELECT jsonb_agg(to_jsonb(o) || '{"sign": -1}') FROM old_rows o
      WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = o.campaign_id)));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER campaigns_deleted_forget_pending BEFORE DELETE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION stats_pending_forget_campaign();

-- Down Migration
DROP TRIGGER campaigns_deleted_forget_pending ON campaigns;
DROP FUNCTION stats_pending_forget_campaign();
CREATE OR REPLACE FUNCTION stats_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP INDEX campaigns_name;
DROP INDEX campaigns_name_search;
DROP INDEX campaigns_newest;
ALTER TABLE campaigns DROP COLUMN archived_at;
