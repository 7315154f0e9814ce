-- Up Migration

-- An A/B test concluded by the server: the campaign's rule (metric, confidence, minimum sample,
-- when to decide, deadline and what a deadline does), the first send the rule's durations count
-- from (read once from the rollups by the checker), and the decision. campaigns.winner stays the
-- winning variant's name (NULL for a tie); ab_test_tie says a decided test found none, and
-- ab_test_decision keeps what the `winner` event reported (rates, p-value, significance or
-- deadline, hold-out waiting). ab_test_decided_at is set exactly once: the checker's conditional
-- UPDATE … WHERE ab_test_decided_at IS NULL is what lets every instance check and one decide.
ALTER TABLE campaigns ADD COLUMN ab_test_rule jsonb;
ALTER TABLE campaigns ADD COLUMN ab_test_started_at timestamptz;
ALTER TABLE campaigns ADD COLUMN ab_test_decided_at timestamptz;
ALTER TABLE campaigns ADD COLUMN ab_test_tie boolean NOT NULL DEFAULT false;
ALTER TABLE campaigns ADD COLUMN ab_test_decision jsonb;

-- The checker reads only the campaigns whose rule still waits for a decision.
CREATE INDEX campaigns_ab_test_open ON campaigns (id)
  WHERE ab_test_rule IS NOT NULL AND ab_test_decided_at IS NULL;

-- The `winner` event: one per decided test, no recipient, variant = the winner (NULL for a tie).
-- The new check allows every type the old one did, so existing rows need no scan (NOT VALID).
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
  CHECK (type IN ('click', 'view', 'bot', 'conversion', 'delivered', 'failed', 'winner')) NOT VALID;

-- Down Migration

ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
  CHECK (type IN ('click', 'view', 'bot', 'conversion', 'delivered', 'failed')) NOT VALID;
DROP INDEX campaigns_ab_test_open;
ALTER TABLE campaigns DROP COLUMN ab_test_decision;
ALTER TABLE campaigns DROP COLUMN ab_test_tie;
ALTER TABLE campaigns DROP COLUMN ab_test_decided_at;
ALTER TABLE campaigns DROP COLUMN ab_test_started_at;
ALTER TABLE campaigns DROP COLUMN ab_test_rule;
