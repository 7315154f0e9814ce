-- Up Migration

-- A stats request folds its own campaign's queued events first (stats_fold(n, campaign)). After a
-- few calls PL/pgSQL caches a generic plan of the fold's statements, which cannot know the
-- campaign or the batch size: it walks the whole queue in event_id order filtering by campaign,
-- and deletes the batch by a hash join over a scan of the whole queue. While a backlog of
-- millions of other campaigns' events waited, every stats request took seconds more. Planned for
-- each call's own values, the campaign's fold reads its (campaign_id, event_id) index and deletes
-- by primary key; planning the head costs well under a millisecond, the rollup statements run
-- only when there is something to fold. A later CREATE OR REPLACE of stats_fold() must keep this
-- setting (it replaces the function's settings too).
ALTER FUNCTION stats_fold(integer, text) SET plan_cache_mode = force_custom_plan;

-- Down Migration
ALTER FUNCTION stats_fold(integer, text) RESET plan_cache_mode;
