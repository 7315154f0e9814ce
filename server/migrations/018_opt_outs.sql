-- Up Migration

-- People who replied STOP (or were added by API or node): Send leaves them out. One row per phone
-- number across all campaigns, as carriers and the law treat an opt-out: from the sender, not
-- from one campaign.
CREATE TABLE opt_outs (
  phone      text PRIMARY KEY CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
  source     text NOT NULL CHECK (source IN ('api', 'twilio', 'seven')),
  reason     text CHECK (char_length(reason) <= 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Newest first, paged by (created_at, phone).
CREATE INDEX opt_outs_by_time ON opt_outs (created_at DESC, phone DESC);

-- Down Migration

DROP TABLE IF EXISTS opt_outs;
