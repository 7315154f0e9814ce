-- Up Migration

-- Set while a dispatcher has the delivery in flight (a lease: a crashed process's claim expires),
-- so a manual retry cannot send a delivery that is being sent right now.
ALTER TABLE webhook_deliveries ADD COLUMN locked_until timestamptz;
ALTER TABLE webhook_deliveries ADD COLUMN last_attempt_at timestamptz;

-- Wake the dispatchers as soon as new deliveries commit, whoever wrote them (one notification per
-- statement, delivered at commit), so an idle dispatcher needs no tight polling.
CREATE FUNCTION notify_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('webhook_deliveries', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER webhook_deliveries_notify
  AFTER INSERT ON webhook_deliveries
  FOR EACH STATEMENT EXECUTE FUNCTION notify_webhook_deliveries();

-- Down Migration
DROP TRIGGER webhook_deliveries_notify ON webhook_deliveries;
DROP FUNCTION notify_webhook_deliveries();
ALTER TABLE webhook_deliveries DROP COLUMN last_attempt_at;
ALTER TABLE webhook_deliveries DROP COLUMN locked_until;
