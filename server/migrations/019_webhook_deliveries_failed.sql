-- Up Migration

-- Deliveries given up on, per subscription, newest first: /metrics counts them at every scrape
-- (an index-only count, however many delivered rows the table holds), and the delivery list
-- filtered on status=failed reads them in its order.
CREATE INDEX webhook_deliveries_failed
  ON webhook_deliveries (subscription_id, created_at DESC) WHERE status = 'failed';

-- Down Migration
DROP INDEX webhook_deliveries_failed;
