-- Up Migration

-- A subscription may ask for the events of one send wave only (the trigger's Wave option): one
-- more condition of the outbox join, like the other filters of migration 013.
ALTER TABLE webhook_subscriptions ADD COLUMN wave text CHECK (char_length(wave) BETWEEN 1 AND 100);

-- Down Migration

ALTER TABLE webhook_subscriptions DROP COLUMN wave;
