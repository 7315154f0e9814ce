-- Up Migration

-- The IP-hash salt when it rotates (IP_HASH_SALT_ROTATION_DAYS): one random salt per period, the
-- same for every instance, and deleted once its period is over, so hashes stored before cannot be
-- recomputed from a salt that still exists.
CREATE TABLE ip_hash_salts (
  period     bigint PRIMARY KEY,
  salt       text NOT NULL CHECK (char_length(salt) >= 32),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE IF EXISTS ip_hash_salts;
