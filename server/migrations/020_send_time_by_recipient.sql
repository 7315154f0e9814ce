-- Up Migration

-- Send-time optimisation (POST /api/v1/send-times) reads a recipient's clicks across campaigns
-- from the slotted rollup (stats_recipient_slots, migration 010: clicks per 15-minute UTC slot,
-- kept by stats_fold()). Its key leads with the campaign; this index finds a recipient's rows,
-- and carries slot and clicks so the lookup reads the index alone (an index-only scan: 3× faster
-- than fetching the rows in server/bench/send-times.bench.js). The price: a fold that adds clicks
-- to an existing row (the same recipient, link and 15 minutes, in a later batch) updates it
-- without HOT; other counters' updates stay HOT.
CREATE INDEX stats_recipient_slots_by_recipient ON stats_recipient_slots (recipient) INCLUDE (slot, clicks);

-- Down Migration
DROP INDEX stats_recipient_slots_by_recipient;
