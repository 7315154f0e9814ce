-- Up Migration

CREATE TABLE campaigns (
  id                  text PRIMARY KEY,
  name                text NOT NULL,
  conversion_tracking boolean NOT NULL DEFAULT false,
  fallback_url        text,
  -- {"source": "...", "medium": "...", "campaign": "...", "term": "...", "content": "..."}
  utm                 jsonb,
  -- [{"name": "A", "weight": 50}, {"name": "B", "weight": 50}]
  variants            jsonb,
  -- share of recipients (0..1) kept back from the test to receive the winner later
  holdout             numeric(5, 4) NOT NULL DEFAULT 0,
  cost_per_segment    numeric(14, 6),
  currency            char(3),
  winner              text,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE links (
  code         text PRIMARY KEY,
  campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  recipient    text NOT NULL,
  destination  text NOT NULL,
  link_index   integer NOT NULL DEFAULT 0,
  variant      text,
  expires_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT links_campaign_recipient_destination UNIQUE (campaign_id, recipient, destination)
);

CREATE TABLE messages (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  campaign_id          text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  recipient            text NOT NULL,
  variant              text,
  provider             text,
  provider_message_id  text,
  segments             integer,
  encoding             text,
  characters           integer,
  status               text NOT NULL CHECK (status IN ('sent', 'delivered', 'failed', 'holdout')),
  error                text,
  sent_at              timestamptz NOT NULL DEFAULT now(),
  status_at            timestamptz NOT NULL DEFAULT now(),
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_campaign_recipient ON messages (campaign_id, recipient);
CREATE UNIQUE INDEX messages_provider_message ON messages (provider, provider_message_id)
  WHERE provider_message_id IS NOT NULL;

-- Every tracked occurrence. 'bot' hits are kept (flagged) but never count as clicks.
CREATE TABLE events (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- set by whoever creates the event (e.g. the redirect); replaying a spool is idempotent on it
  event_key            text NOT NULL UNIQUE,
  type                 text NOT NULL CHECK (type IN ('click', 'view', 'bot', 'conversion', 'delivered', 'failed')),
  occurred_at          timestamptz NOT NULL,
  recorded_at          timestamptz NOT NULL DEFAULT now(),
  campaign_id          text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  code                 text,
  recipient            text,
  variant              text,
  url                  text,
  click_id             text,
  user_agent           text,
  device_type          text,
  os                   text,
  browser              text,
  country              char(2),
  ip_hash              text,
  ip                   inet,
  conversion_name      text,
  conversion_value     numeric(18, 4),
  conversion_currency  char(3),
  idempotency_key      text
);
CREATE INDEX events_campaign_type_time ON events (campaign_id, type, occurred_at);
CREATE INDEX events_campaign_recipient ON events (campaign_id, recipient);
CREATE UNIQUE INDEX events_click_id ON events (click_id) WHERE type = 'click';
CREATE UNIQUE INDEX events_conversion_idempotency ON events (campaign_id, idempotency_key)
  WHERE type = 'conversion' AND idempotency_key IS NOT NULL;

CREATE TABLE webhook_subscriptions (
  id               text PRIMARY KEY,
  url              text NOT NULL,
  events           text[] NOT NULL,
  campaign_id      text REFERENCES campaigns (id) ON DELETE CASCADE,
  secret           text NOT NULL,
  disabled_at      timestamptz,
  disabled_reason  text,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- The outbox: one row per event and matching subscription, written with the event.
CREATE TABLE webhook_deliveries (
  id               text PRIMARY KEY,
  subscription_id  text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_id         bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_status      integer,
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at DESC);

-- Down Migration
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
DROP TABLE events;
DROP TABLE messages;
DROP TABLE links;
DROP TABLE campaigns;
