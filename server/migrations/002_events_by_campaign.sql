-- Up Migration

-- GET /api/v1/campaigns/:id/events pages through a campaign's events in id order.
CREATE INDEX events_campaign_id ON events (campaign_id, id);

-- Down Migration
DROP INDEX events_campaign_id;
