-- Up Migration

-- Wake the live dashboard feeds (server/src/live) of every instance when events commit, whoever
-- stored them: one notification per statement (a whole batch of the redirect's group commit or of
-- the journal loader), delivered at commit and merged per transaction by PostgreSQL. No
-- transition table: a statement that inserted nothing (duplicates only) wakes the feeds for a
-- cheap look-up, which costs less than collecting every inserted row to find out.
CREATE FUNCTION notify_events_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('events_stored', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER events_stored_notify
  AFTER INSERT ON events
  FOR EACH STATEMENT EXECUTE FUNCTION notify_events_stored();

-- Down Migration
DROP TRIGGER events_stored_notify ON events;
DROP FUNCTION notify_events_stored();
