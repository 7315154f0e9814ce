-- Up Migration

-- A subscription's filters (server/src/webhooks/validate.ts): the outbox enqueues a delivery only
-- for events that match, so n8n is not woken for events its trigger would drop. NULL: no filter.
ALTER TABLE webhook_subscriptions ADD COLUMN first_per_recipient boolean NOT NULL DEFAULT false;
ALTER TABLE webhook_subscriptions ADD COLUMN url_contains text;
ALTER TABLE webhook_subscriptions ADD COLUMN variant text;
ALTER TABLE webhook_subscriptions ADD COLUMN conversion_name text;

-- "First event per recipient": the delivery of a recipient's first matching event of a type in a
-- campaign carries the key (type, campaign, recipient); the unique index below lets no second
-- delivery with that key into the same subscription (see server/src/webhooks/outbox.ts for why a
-- key on the delivery row). NULL for every other delivery, so the index stays small and the
-- column costs nothing to deliveries of unfiltered subscriptions.
ALTER TABLE webhook_deliveries ADD COLUMN first_key text;
CREATE UNIQUE INDEX webhook_deliveries_first_per_recipient
  ON webhook_deliveries (subscription_id, first_key) WHERE first_key IS NOT NULL;

-- Down Migration
DROP INDEX webhook_deliveries_first_per_recipient;
ALTER TABLE webhook_deliveries DROP COLUMN first_key;
ALTER TABLE webhook_subscriptions DROP COLUMN conversion_name;
ALTER TABLE webhook_subscriptions DROP COLUMN variant;
ALTER TABLE webhook_subscriptions DROP COLUMN url_contains;
ALTER TABLE webhook_subscriptions DROP COLUMN first_per_recipient;
