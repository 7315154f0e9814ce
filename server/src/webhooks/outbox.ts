/**
 * The outbox fan-out: one webhook delivery per new event and matching active subscription. The
 * events insert (events/store.ts) runs it in the same statement, so in the same transaction: an
 * event is never stored without its deliveries, nor a delivery without its event. `newEvents`
 * names the statement's relation of the rows just inserted (id, type, campaign_id).
 */
export const outboxInsertSql = (newEvents: string) => `
  INSERT INTO webhook_deliveries (id, subscription_id, event_id)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, i.id
  FROM ${newEvents} i
  JOIN webhook_subscriptions s
    ON s.disabled_at IS NULL
   AND i.type = ANY (s.events)
   AND (s.campaign_id IS NULL OR s.campaign_id = i.campaign_id)
  RETURNING 1`;
