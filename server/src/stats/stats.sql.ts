/**
 * The campaign evaluation, one statement either way. Both sources produce the same relations
 * (recipients, link_rows, dims, hourly, currencies); the shared tail turns them into the answer.
 *
 * $1 campaign id, $2 from (timestamptz or null), $3 to (exclusive, or null), $4 IANA time zone,
 * $5 the campaign's currency (or null). ($2 and $3 are used by the events source only.)
 *
 * Hours are local hours of $4; the timeline is rolled up at the end to hours, days or weeks
 * depending on the span it covers (at most a few hundred points), gaps filled with zeros, and the
 * hour-of-day breakdown is read from the same local hours.
 */

/**
 * Whole campaign: the rollups (migration 006) that triggers keep up to date — a few rows per
 * recipient, link, dimension value and 15-minute slot, so a campaign with millions of events is
 * answered from its recipients' rows.
 */
const rollupSource = `
recipients AS (
  SELECT coalesce(message_variant, link_variant, event_variant) AS variant,
         messages_charged > 0 AS sent,
         messages_delivered > 0 OR delivered_events > 0 AS delivered,
         (messages_failed > 0 OR failed_events > 0) AND NOT (messages_delivered > 0 OR delivered_events > 0) AS failed,
         segments, sent_at, views, clicks, conversions, revenue, first_click_at AS first_click
  FROM stats_recipients
  -- the rollups hold the whole campaign: a time range is answered from the events
  WHERE campaign_id = $1 AND $2::timestamptz IS NULL AND $3::timestamptz IS NULL
),
link_rows AS (
  SELECT url, clicks, unique_clickers AS "uniqueClickers", views, conversions FROM stats_urls WHERE campaign_id = $1
),
dims AS (
  SELECT dimension AS dim, key, clicks FROM stats_dimensions WHERE campaign_id = $1
),
hourly AS (
  SELECT date_trunc('hour', slot AT TIME ZONE $4::text) AS bucket,
         sum(clicks) AS clicks, sum(views) AS views, sum(conversions) AS conversions
  FROM stats_slots WHERE campaign_id = $1
  GROUP BY 1
),
currencies AS (
  SELECT currency, conversions, revenue FROM stats_currencies WHERE campaign_id = $1
)`;

/**
 * A time range: one pass over the campaign's events in the range (index on campaign and time),
 * aggregated by several GROUPING SETS at once: (recipient, url) for everything per recipient and
 * per link, the click breakdowns, the local hours and the conversion currencies. Bots are excluded
 * in the scan and never counted.
 */
const eventsSource = `
grouped AS MATERIALIZED (
  SELECT
    CASE
      WHEN GROUPING(e.recipient) = 0 THEN 'recipient_url'
      WHEN GROUPING(e.device_type) = 0 THEN 'deviceType'
      WHEN GROUPING(e.os) = 0 THEN 'os'
      WHEN GROUPING(e.browser) = 0 THEN 'browser'
      WHEN GROUPING(e.country) = 0 THEN 'country'
      WHEN GROUPING(date_trunc('hour', e.occurred_at AT TIME ZONE $4::text)) = 0 THEN 'timeline'
      ELSE 'currency'
    END AS dim,
    e.recipient,
    e.url,
    coalesce(e.device_type, e.os, e.browser, e.country::text, e.conversion_currency::text) AS key,
    date_trunc('hour', e.occurred_at AT TIME ZONE $4::text) AS bucket,
    max(e.variant) AS variant,
    count(*) FILTER (WHERE e.type = 'click') AS clicks,
    count(*) FILTER (WHERE e.type = 'view') AS views,
    count(*) FILTER (WHERE e.type = 'conversion') AS conversions,
    coalesce(sum(e.conversion_value) FILTER (
      WHERE e.type = 'conversion' AND (e.conversion_currency IS NULL OR e.conversion_currency = $5::text)), 0) AS revenue,
    coalesce(sum(e.conversion_value) FILTER (WHERE e.type = 'conversion'), 0) AS any_revenue,
    bool_or(e.type = 'delivered') AS delivered,
    bool_or(e.type = 'failed') AS failed,
    min(e.occurred_at) FILTER (WHERE e.type = 'click') AS first_click
  FROM events e
  WHERE e.campaign_id = $1
    -- every type but 'bot', spelled out so the (campaign, type, time) index serves a time range
    AND e.type IN ('click', 'view', 'conversion', 'delivered', 'failed')
    AND ($2::timestamptz IS NULL OR e.occurred_at >= $2)
    AND ($3::timestamptz IS NULL OR e.occurred_at < $3)
  GROUP BY GROUPING SETS (
    (e.recipient, e.url),
    (e.device_type), (e.os), (e.browser), (e.country),
    (date_trunc('hour', e.occurred_at AT TIME ZONE $4::text)),
    (e.conversion_currency)
  )
),
per_event_recipient AS (
  SELECT recipient, max(variant) AS variant, sum(clicks) AS clicks, sum(views) AS views,
         sum(conversions) AS conversions, sum(revenue) AS revenue,
         bool_or(delivered) AS delivered, bool_or(failed) AS failed, min(first_click) AS first_click
  FROM grouped WHERE dim = 'recipient_url' AND recipient IS NOT NULL
  GROUP BY recipient
),
-- what messages and links say about each recipient: the synchronous part of the rollups (kept by
-- the messages and links triggers), so a time range never re-reads every message and link
known AS (
  SELECT recipient, coalesce(message_variant, link_variant) AS variant,
         messages_charged > 0 AS sent, messages_delivered > 0 AS delivered, messages_failed > 0 AS failed,
         segments, sent_at
  FROM stats_recipients WHERE campaign_id = $1
),
recipients AS (
  SELECT recipient,
         coalesce(k.variant, e.variant) AS variant,
         coalesce(k.sent, false) AS sent,
         coalesce(k.delivered, false) OR coalesce(e.delivered, false) AS delivered,
         (coalesce(k.failed, false) OR coalesce(e.failed, false))
           AND NOT (coalesce(k.delivered, false) OR coalesce(e.delivered, false)) AS failed,
         coalesce(k.segments, 0) AS segments,
         k.sent_at,
         coalesce(e.views, 0) AS views,
         coalesce(e.clicks, 0) AS clicks,
         coalesce(e.conversions, 0) AS conversions,
         coalesce(e.revenue, 0) AS revenue,
         e.first_click
  FROM known k
  FULL JOIN per_event_recipient e USING (recipient)
),
link_rows AS (
  SELECT url, sum(clicks) AS clicks, count(*) FILTER (WHERE clicks > 0) AS "uniqueClickers",
         sum(views) AS views, sum(conversions) AS conversions
  FROM grouped WHERE dim = 'recipient_url' AND url IS NOT NULL
  GROUP BY url
  UNION ALL
  SELECT url, 0, 0, 0, 0 FROM stats_urls WHERE campaign_id = $1
),
dims AS (
  SELECT dim, key, clicks FROM grouped WHERE dim IN ('deviceType', 'os', 'browser', 'country')
),
hourly AS (
  SELECT bucket, clicks, views, conversions FROM grouped WHERE dim = 'timeline'
),
currencies AS (
  SELECT key AS currency, conversions, any_revenue AS revenue FROM grouped WHERE dim = 'currency' AND key IS NOT NULL
)`;

const tail = `
metrics AS (
  SELECT GROUPING(variant) = 1 AS total, variant,
         count(*) AS recipients,
         count(*) FILTER (WHERE sent) AS sent,
         count(*) FILTER (WHERE delivered) AS delivered,
         count(*) FILTER (WHERE failed) AS failed,
         coalesce(sum(views), 0) AS views,
         count(*) FILTER (WHERE views > 0) AS "uniqueViewers",
         coalesce(sum(clicks), 0) AS clicks,
         count(*) FILTER (WHERE clicks > 0) AS "uniqueClickers",
         coalesce(sum(conversions), 0) AS conversions,
         count(*) FILTER (WHERE conversions > 0) AS "uniqueConverters",
         count(*) FILTER (WHERE conversions > 0 AND clicks > 0) AS "convertedClickers",
         coalesce(sum(revenue), 0) AS revenue,
         coalesce(sum(segments), 0) AS segments
  FROM recipients
  GROUP BY GROUPING SETS ((), (variant))
),
first_clicks AS (
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM first_click - sent_at))) AS median
  FROM recipients WHERE first_click IS NOT NULL AND sent_at IS NOT NULL
),
span AS (
  SELECT first, last,
         CASE WHEN last - first <= interval '72 hours' THEN 'hour'
              WHEN last - first <= interval '120 days' THEN 'day'
              ELSE 'week' END AS size
  FROM (SELECT min(bucket) AS first, max(bucket) AS last FROM hourly) t
),
timeline AS (
  SELECT date_trunc(span.size, bucket) AS bucket, sum(clicks) AS clicks, sum(views) AS views, sum(conversions) AS conversions
  FROM hourly, span
  GROUP BY 1
)
SELECT json_build_object(
  'metrics', (SELECT json_agg(m) FROM metrics m),
  'medianSecondsToFirstClick', (SELECT median FROM first_clicks),
  'links', (SELECT coalesce(json_agg(l ORDER BY l.clicks DESC, l.views DESC, l.url), '[]')
            FROM (SELECT url, sum(clicks) AS clicks, sum("uniqueClickers") AS "uniqueClickers",
                         sum(views) AS views, sum(conversions) AS conversions
                  FROM link_rows GROUP BY url) l),
  'breakdowns', (SELECT coalesce(json_object_agg(dim, rows), '{}') FROM (
                  SELECT dim, json_agg(json_build_object('key', key, 'clicks', clicks) ORDER BY clicks DESC, key) AS rows
                  FROM (SELECT dim, nullif(key, '') AS key, clicks FROM dims WHERE clicks > 0
                        UNION ALL
                        SELECT 'hourOfDay', extract(hour FROM bucket)::int::text, sum(clicks) FROM hourly GROUP BY 2 HAVING sum(clicks) > 0) d
                  GROUP BY dim) b),
  'timelineBucket', (SELECT size FROM span),
  'timeline', (SELECT coalesce(json_agg(json_build_object(
                  'bucket', s.bucket AT TIME ZONE $4::text,
                  'clicks', coalesce(t.clicks, 0), 'views', coalesce(t.views, 0), 'conversions', coalesce(t.conversions, 0))
                  ORDER BY s.bucket), '[]')
               FROM span
               CROSS JOIN LATERAL generate_series(date_trunc(span.size, span.first), span.last, ('1 ' || span.size)::interval) AS s(bucket)
               LEFT JOIN timeline t ON t.bucket = s.bucket),
  'otherCurrencies', (SELECT coalesce(json_agg(json_build_object('currency', currency, 'conversions', conversions, 'revenue', revenue)
                        ORDER BY currency), '[]')
                      FROM currencies
                      WHERE currency <> '' AND currency IS DISTINCT FROM $5::text AND conversions > 0)
) AS result`;

export const statsFromRollupsSql = `WITH ${rollupSource},\n${tail}`;
export const statsFromEventsSql = `WITH ${eventsSource},\n${tail}`;
