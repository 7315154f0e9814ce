-- Up Migration

-- Who is sending one wave of a campaign right now (Send → Winning Variant → Hold-Out): a run takes
-- the wave's lock before it reads whom the wave has not reached, and gives it back when it is done,
-- so two runs at once (the winner trigger's and a manual one) never send a person the same wave
-- twice. The lease ends a lock whose run died without giving it back.
CREATE TABLE send_locks (
  campaign_id text NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  wave        text NOT NULL,
  holder      text NOT NULL,
  held_until  timestamptz NOT NULL,
  PRIMARY KEY (campaign_id, wave)
);

-- Down Migration
DROP TABLE send_locks;
