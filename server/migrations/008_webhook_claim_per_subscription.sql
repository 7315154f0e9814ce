-- Up Migration

-- Due deliveries of one subscription in order: the per-subscription claim below reads each
-- subscription's oldest due rows without stepping over another subscription's backlog.
CREATE INDEX webhook_deliveries_due_by_subscription
  ON webhook_deliveries (subscription_id, next_attempt_at) WHERE status = 'pending';

-- Like claim_webhook_deliveries (migration 003: SKIP LOCKED, a lease, the attempt counter as
-- fencing token), but each active subscription contributes at most its room: p_rooms maps a
-- subscription id to the claims its dispatcher can still take for it (its adaptive in-flight
-- limit, see server/src/webhooks/dispatcher/subscription-limits.ts), p_default_room applies to the
-- others. So a slow receiver's backlog cannot fill a claim while other subscriptions have work due.
CREATE FUNCTION claim_webhook_deliveries_per_subscription(p_limit integer, p_lease_ms double precision, p_rooms jsonb, p_default_room integer)
RETURNS TABLE (id text, subscription_id text, event_id bigint, attempts integer)
LANGUAGE sql
SET enable_bitmapscan = off
AS $$
  WITH rooms AS (
    SELECT s.id, COALESCE((p_rooms ->> s.id)::integer, p_default_room) AS room
    FROM webhook_subscriptions s
    WHERE s.disabled_at IS NULL
  ), due AS (
    SELECT d.id, d.next_attempt_at
    FROM rooms r
    CROSS JOIN LATERAL (
      SELECT d.id, d.next_attempt_at
      FROM webhook_deliveries d
      WHERE d.subscription_id = r.id AND d.status = 'pending' AND d.next_attempt_at <= now()
      ORDER BY d.next_attempt_at
      LIMIT r.room
      FOR UPDATE SKIP LOCKED
    ) d
    WHERE r.room > 0
    ORDER BY d.next_attempt_at
    LIMIT p_limit
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
DROP FUNCTION claim_webhook_deliveries_per_subscription(integer, double precision, jsonb, integer);
DROP INDEX webhook_deliveries_due_by_subscription;
