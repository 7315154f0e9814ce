-- Up Migration

-- Conversions reported from a landing page for a click the server cannot see yet (it is still in
-- the redirect's journal, or being committed): kept here and stored as conversion events in the
-- statement that stores the click (events/store.ts). Bounded: rows expire (PENDING_CONVERSION_TTL_SECONDS)
-- and the table holds at most PENDING_CONVERSIONS_MAX rows (events/pending-conversions.ts).
CREATE TABLE pending_conversions (
  -- the key the conversion is stored under once attributed (conversions/store.ts): a repeat of a
  -- pending report is recognised as the same conversion
  event_key        text PRIMARY KEY,
  click_id         text NOT NULL,
  name             text NOT NULL,
  value            numeric(18, 4),
  currency         char(3),
  idempotency_key  text,
  received_at      timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL
);
CREATE INDEX pending_conversions_click ON pending_conversions (click_id);
CREATE INDEX pending_conversions_expires ON pending_conversions (expires_at);

-- Down Migration
DROP TABLE pending_conversions;
