-- Up Migration

-- Scoped API keys created through /api/v1/keys (keys/store.ts). Only the SHA-256 digest of a key
-- is kept: keys are 256 random bits, so a fast digest is as safe as a slow password hash, and it
-- lets each request find its key by an index lookup (a salted hash could not be looked up).
-- A revoked key keeps its row (who had which scopes stays readable) and stops matching at once:
-- every request reads the table, on every instance.
CREATE TABLE api_keys (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  scopes      text[] NOT NULL,
  key_hash    bytea NOT NULL UNIQUE,
  prefix      text NOT NULL,      -- the key's first characters, to recognise it in a list
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Webhook secret rotation: during the overlap, deliveries carry a signature with the previous
-- secret beside the one with the new secret, so a receiver may switch at any time within it.
ALTER TABLE webhook_subscriptions
  ADD COLUMN previous_secret text,
  ADD COLUMN previous_secret_until timestamptz;

-- Down Migration

ALTER TABLE webhook_subscriptions DROP COLUMN previous_secret_until, DROP COLUMN previous_secret;
DROP TABLE api_keys;
