-- Up Migration

-- Send-time optimisation (POST /api/v1/send-times) reads a recipient's clicks across campaigns
-- from the slotted rollup (stats_recipient_slots, migration 010: clicks per 15-minute UTC slot,
-- kept by stats_fold()). Its key leads with the campaign; this index finds a recipient's rows.
-- Only key columns that folds never change, so the fold's updates stay HOT.
CREATE INDEX stats_recipient_slots_by_recipient ON stats_recipient_slots (recipient) INCLUDE (slot, clicks);

-- Down Migration
DROP INDEX stats_recipient_slots_by_recipient;
