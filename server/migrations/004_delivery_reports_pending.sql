-- Up Migration

-- Delivery reports that arrived before the node reported the message they belong to (the node
-- reports after sending, a provider may call back sooner). Applied when the message is reported.
CREATE TABLE delivery_reports_pending (
  provider             text NOT NULL,
  provider_message_id  text NOT NULL,
  outcome              text NOT NULL CHECK (outcome IN ('delivered', 'failed')),
  occurred_at          timestamptz NOT NULL,
  error                text,
  received_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, provider_message_id, outcome)
);
CREATE INDEX delivery_reports_pending_received ON delivery_reports_pending (received_at);

-- Down Migration
DROP TABLE delivery_reports_pending;
