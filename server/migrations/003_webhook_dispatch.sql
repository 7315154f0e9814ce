-- Up Migration

-- Set while a dispatcher has the delivery in flight (a lease: a crashed process's claim expires),
-- so a manual retry cannot send a delivery that is being sent right now.
ALTER TABLE webhook_deliveries ADD COLUMN locked_until timestamptz;
ALTER TABLE webhook_deliveries ADD COLUMN last_attempt_at timestamptz;

-- Wake the dispatchers as soon as new deliveries commit, whoever wrote them (one notification per
-- statement, delivered at commit), so an idle dispatcher needs no tight polling. Statements that
-- inserted no delivery (events nobody subscribed to) notify nothing.
CREATE FUNCTION notify_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_deliveries) THEN
    PERFORM pg_notify('webhook_deliveries', '');
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER webhook_deliveries_notify
  AFTER INSERT ON webhook_deliveries
  REFERENCING NEW TABLE AS new_deliveries
  FOR EACH STATEMENT EXECUTE FUNCTION notify_webhook_deliveries();

-- Claims up to p_limit due deliveries for one dispatcher (see server/src/webhooks/queue.ts).
-- SKIP LOCKED: concurrent dispatchers take disjoint rows. The claim is a lease: locked_until and
-- next_attempt_at move past the send's timeout, so a dispatcher that dies mid-send delays its
-- deliveries instead of losing them; the raised attempt counter fences late results.
-- Bitmap scans are off inside: the statistics of pending rows lag behind a burst of new events,
-- and the planner would then read and sort every due row; reading the partial index in order and
-- stopping at the limit is right at any backlog size.
CREATE FUNCTION claim_webhook_deliveries(p_limit integer, p_lease_ms double precision)
RETURNS TABLE (id text, subscription_id text, event_id bigint, attempts integer)
LANGUAGE sql
SET enable_bitmapscan = off
AS $$
  WITH due AS (
    SELECT d.id
    FROM webhook_deliveries d
    WHERE d.status = 'pending' AND d.next_attempt_at <= now()
    ORDER BY d.next_attempt_at
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  )
  UPDATE webhook_deliveries d
  SET attempts = d.attempts + 1,
      last_attempt_at = now(),
      locked_until = now() + p_lease_ms * interval '1 millisecond',
      next_attempt_at = now() + p_lease_ms * interval '1 millisecond'
  FROM due WHERE d.id = due.id
  RETURNING d.id, d.subscription_id, d.event_id, d.attempts
$$;

-- Down Migration
DROP FUNCTION claim_webhook_deliveries(integer, double precision);
DROP TRIGGER webhook_deliveries_notify ON webhook_deliveries;
DROP FUNCTION notify_webhook_deliveries();
ALTER TABLE webhook_deliveries DROP COLUMN last_attempt_at;
ALTER TABLE webhook_deliveries DROP COLUMN locked_until;
