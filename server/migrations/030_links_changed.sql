-- Up Migration

-- Bumped after a change that makes cached links redirect differently (a campaign's Update, an
-- erasure): every instance reads it every second and forgets its cached codes when it moved, so a
-- change made on one instance holds on all of them at once instead of after LINK_CACHE_TTL_SECONDS.
CREATE SEQUENCE links_changed;

-- Down Migration
DROP SEQUENCE links_changed;
