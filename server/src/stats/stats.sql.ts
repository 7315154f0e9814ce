/**
 * The campaign evaluation, one statement either way. Both sources produce the same relations
 * (metrics, first_clicks, wave_metrics, link_rows, dims, hourly, currencies); the shared answer
 * turns them into JSON. metrics holds the totals and each variant; wave_metrics the figures of
 * each send wave, whose recipients are counted per wave (a recipient of the first send and of the
 * reminder is in two waves).
 *
 * $1 campaign id, $4 IANA time zone, $5 the campaign's currency (or null); the range source's
 * own parameters are described with it ($2 and $3 are null for the whole campaign).
 *
 * Hours are local hours of $4; the timeline is rolled up at the end to hours, days or weeks
 * depending on the span it covers (at most a few hundred points), gaps filled with zeros, and the
 * hour-of-day breakdown is read from the same local hours.
 */

/** The counts of MetricsRow over a set of recipient rows (recipients, or a wave's). */
const recipientCounts = `
         count(*) FILTER (WHERE person) AS recipients,
         count(*) FILTER (WHERE sent) AS sent,
         count(*) FILTER (WHERE delivered) AS delivered,
         count(*) FILTER (WHERE failed) AS failed,
         coalesce(sum(views), 0) AS views,
         count(*) FILTER (WHERE person AND views > 0) AS "uniqueViewers",
         coalesce(sum(clicks), 0) AS clicks,
         count(*) FILTER (WHERE person AND clicks > 0) AS "uniqueClickers",
         coalesce(sum(conversions), 0) AS conversions,
         count(*) FILTER (WHERE person AND conversions > 0) AS "uniqueConverters",
         count(*) FILTER (WHERE person AND conversions > 0 AND clicks > 0) AS "convertedClickers",
         coalesce(sum(revenue), 0) AS revenue,
         coalesce(sum(segments), 0) AS segments`;

/** The sums of MetricsRow over rows of kept figures (migration 033), 0 when there are none. */
const keptCounts = `
         coalesce(sum(recipients), 0) AS recipients,
         coalesce(sum(sent), 0) AS sent,
         coalesce(sum(delivered), 0) AS delivered,
         coalesce(sum(failed), 0) AS failed,
         coalesce(sum(views), 0) AS views,
         coalesce(sum(unique_viewers), 0) AS "uniqueViewers",
         coalesce(sum(clicks), 0) AS clicks,
         coalesce(sum(unique_clickers), 0) AS "uniqueClickers",
         coalesce(sum(conversions), 0) AS conversions,
         coalesce(sum(unique_converters), 0) AS "uniqueConverters",
         coalesce(sum(converted_clickers), 0) AS "convertedClickers",
         coalesce(sum(revenue), 0) AS revenue,
         coalesce(sum(segments), 0) AS segments`;

/** A recipient's wait from the first send to the first click, as the index of migration 033 orders it. */
const firstClickWait = `greatest(0, extract(epoch FROM first_click_at - sent_at))`;
const waiting = `
    FROM stats_recipients
    WHERE campaign_id = $1 AND first_click_at IS NOT NULL AND sent_at IS NOT NULL`;

/**
 * Whole campaign: the rollups (migration 006) that triggers keep up to date — a few rows per
 * link, dimension value and 15-minute slot, and the totals, variants and waves kept as they change
 * (migration 033: a handful of rows of differences per campaign, summed here), so a campaign with
 * millions of events is answered without reading its recipients one by one. The median wait for
 * the first click is read in order from an index: the middle one or two of the waits.
 */
const rollupSource = `
metrics AS (
  -- the variant null holds the clicks and views of Do-Not-Track visitors (migration 026): counted
  -- in the totals' clicks and views, never as a recipient
  SELECT GROUPING(variant) = 1 AS total, variant, ${keptCounts}
  FROM stats_variant_figures
  -- the kept figures are the whole campaign's: a time range is answered by the range source
  WHERE campaign_id = $1 AND $2::timestamptz IS NULL AND $3::timestamptz IS NULL
  GROUP BY GROUPING SETS ((), (variant))
  -- a variant is there while a recipient has it
  HAVING GROUPING(variant) = 1 OR variant IS NULL OR sum(recipients) > 0
),
waiting AS (
  SELECT count(*) AS n ${waiting}
),
first_clicks AS (
  -- percentile_cont(0.5): the middle wait, or the mean of the two middle ones
  SELECT CASE WHEN n = 0 THEN NULL
              WHEN n % 2 = 1 THEN (SELECT ${firstClickWait}::float8 ${waiting}
                                   ORDER BY ${firstClickWait} OFFSET n / 2 LIMIT 1)
              ELSE (SELECT min(w) + (max(w) - min(w)) * 0.5 FROM (
                      SELECT ${firstClickWait}::float8 AS w ${waiting}
                      ORDER BY ${firstClickWait} OFFSET n / 2 - 1 LIMIT 2) m) END AS median
  FROM waiting
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
),
wave_metrics AS (
  SELECT false AS total, null::text AS variant, wave, min(first_seen) AS first_seen, ${keptCounts}
  FROM stats_wave_figures WHERE campaign_id = $1
  GROUP BY wave
  HAVING sum(recipients) > 0
)`;

/**
 * A time range: the slotted rollups (migration 010) for the 15-minute slots the range covers
 * whole, [$8, $9), plus the campaign's events in at most two partial slots at its ends, [$2, $3)
 * and [$6, $7) (empty when the range falls on slot boundaries). Both parts produce the same
 * cells — per recipient and URL (and slot) with their counts — so the figures below never know where a
 * cell came from. Unique clickers, viewers and converters stay exact: a cell carries its
 * recipient, so "clicked in the range" is "has a cell in the range with clicks > 0", counted once
 * per recipient after grouping, never estimated. Bots are never counted.
 *
 * $10, a send wave or null, limits everything to that wave's links, messages and events; the
 * caller then reads the whole range from the events (the slotted click breakdowns carry no wave).
 */
/** The events of the two partial slots [$2, $3) and [$6, $7) (of wave $10 when `ofWave`). */
const partialEvents = (ofWave: boolean) => `
partial AS MATERIALIZED (
  SELECT e.* FROM events e
  WHERE e.campaign_id = $1
    -- every type but 'bot', spelled out so the (campaign, type, time) index serves the ranges
    AND e.type IN ('click', 'view', 'conversion', 'delivered', 'failed')
    AND ((e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz)
      OR (e.occurred_at >= $6::timestamptz AND e.occurred_at < $7::timestamptz))${
				ofWave ? '\n    AND ($10::text IS NULL OR e.wave = $10::text)' : ''
			}
)`;

/**
 * Clicks per dimension value, clicks, views and conversions per local hour, and conversions per
 * currency of a range: the slotted rollups of [$8, $9) plus the partial slots' events. None of
 * them needs a recipient.
 */
const rangeSeries = `
dims AS (
  SELECT dim, key, sum(clicks) AS clicks FROM (
    SELECT dimension AS dim, key, clicks FROM stats_dimension_slots
    WHERE campaign_id = $1 AND slot >= $8::timestamptz AND slot < $9::timestamptz
    UNION ALL
    SELECT d.dim, coalesce(d.key, ''), 1 FROM partial e
    CROSS JOIN LATERAL (VALUES ('deviceType', e.device_type), ('os', e.os), ('browser', e.browser), ('country', e.country::text)) AS d(dim, key)
    WHERE e.type = 'click'
  ) d
  GROUP BY dim, key
),
hourly AS (
  SELECT date_trunc('hour', t AT TIME ZONE $4::text) AS bucket,
         sum(clicks) AS clicks, sum(views) AS views, sum(conversions) AS conversions
  FROM (
    SELECT slot AS t, clicks, views, conversions FROM stats_slots
    WHERE campaign_id = $1 AND slot >= $8::timestamptz AND slot < $9::timestamptz
    UNION ALL
    SELECT occurred_at, (type = 'click')::int, (type = 'view')::int, (type = 'conversion')::int FROM partial
    WHERE type IN ('click', 'view', 'conversion')
  ) h
  GROUP BY 1
),
currencies AS (
  SELECT currency, sum(conversions) AS conversions, sum(revenue) AS revenue FROM (
    SELECT currency, conversions, revenue FROM stats_currency_slots
    WHERE campaign_id = $1 AND slot >= $8::timestamptz AND slot < $9::timestamptz
    UNION ALL
    SELECT coalesce(conversion_currency::text, ''), 1, coalesce(conversion_value, 0) FROM partial
    WHERE type = 'conversion'
  ) c
  GROUP BY currency
)`;

const rangeSource = `${partialEvents(true)},
cells AS MATERIALIZED (
  SELECT recipient, url, wave, variant, views, clicks, conversions, revenue, delivered_events, failed_events, first_click_at
  FROM stats_recipient_slots
  WHERE campaign_id = $1 AND slot >= $8::timestamptz AND slot < $9::timestamptz
    AND ($10::text IS NULL OR wave = $10::text)
  UNION ALL
  SELECT coalesce(e.recipient, ''), coalesce(e.url, ''), coalesce(e.wave, ''), max(e.variant),
         count(*) FILTER (WHERE e.type = 'view'),
         count(*) FILTER (WHERE e.type = 'click'),
         count(*) FILTER (WHERE e.type = 'conversion'),
         coalesce(sum(e.conversion_value) FILTER (
           WHERE e.type = 'conversion' AND (e.conversion_currency IS NULL OR e.conversion_currency = $5::text)), 0),
         count(*) FILTER (WHERE e.type = 'delivered'),
         count(*) FILTER (WHERE e.type = 'failed'),
         min(e.occurred_at) FILTER (WHERE e.type = 'click')
  FROM partial e
  GROUP BY 1, 2, 3
),
-- one pass of grouping per recipient and wave over the cells (a recipient's cells in different
-- slots and URLs); the per-recipient figures then group these far fewer rows
per_event_wave_recipient AS MATERIALIZED (
  SELECT recipient, wave, max(variant) AS variant, sum(clicks) AS clicks, sum(views) AS views,
         sum(conversions) AS conversions, sum(revenue) AS revenue,
         sum(delivered_events) AS delivered_events, sum(failed_events) AS failed_events,
         min(first_click_at) AS first_click
  FROM cells
  GROUP BY recipient, wave
),
per_event_recipient AS (
  SELECT recipient, max(variant) AS variant, sum(clicks) AS clicks, sum(views) AS views,
         sum(conversions) AS conversions, sum(revenue) AS revenue,
         sum(delivered_events) > 0 AS delivered, sum(failed_events) > 0 AS failed,
         min(first_click) AS first_click
  FROM per_event_wave_recipient
  GROUP BY recipient
),
-- what messages and links say about each recipient: the synchronous part of the rollups (kept by
-- the messages and links triggers), so a time range never re-reads every message and link
known AS (
  SELECT recipient, coalesce(message_variant, link_variant) AS variant,
         messages_charged > 0 AS sent, messages_delivered > 0 AS delivered, messages_failed > 0 AS failed,
         segments, sent_at
  FROM stats_recipients WHERE campaign_id = $1 AND $10::text IS NULL
  UNION ALL
  SELECT w.recipient, coalesce(r.message_variant, r.link_variant),
         w.messages_charged > 0, w.messages_delivered > 0, w.messages_failed > 0, w.segments, w.sent_at
  FROM stats_wave_recipients w
  JOIN stats_recipients r ON r.campaign_id = w.campaign_id AND r.recipient = w.recipient
  WHERE w.campaign_id = $1 AND w.wave = $10::text
),
recipients AS (
  SELECT recipient,
         -- '' holds Do-Not-Track hits: their clicks and views count, never as a recipient or in a variant
         recipient <> '' AS person,
         CASE WHEN recipient <> '' THEN coalesce(k.variant, e.variant) END AS variant,
         coalesce(k.sent, false) AS sent,
         coalesce(k.delivered, false) OR coalesce(e.delivered, false) AS delivered,
         (coalesce(k.failed, false) OR coalesce(e.failed, false))
           AND NOT (coalesce(k.delivered, false) OR coalesce(e.delivered, false)) AS failed,
         coalesce(k.segments, 0) AS segments,
         k.sent_at,
         coalesce(e.views, 0) AS views,
         coalesce(e.clicks, 0) AS clicks,
         -- a conversion without a recipient is no recipient's: left out, as the campaign's rollup does
         CASE WHEN recipient <> '' THEN coalesce(e.conversions, 0) ELSE 0 END AS conversions,
         CASE WHEN recipient <> '' THEN coalesce(e.revenue, 0) ELSE 0 END AS revenue,
         e.first_click
  FROM known k
  FULL JOIN per_event_recipient e USING (recipient)
),
link_rows AS (
  SELECT url, sum(clicks) AS clicks, 0 AS "uniqueClickers", sum(views) AS views, sum(conversions) AS conversions
  FROM cells WHERE url <> ''
  GROUP BY url
  UNION ALL
  -- a recipient clicked a URL in the range when one of their cells of that URL has clicks
  SELECT url, 0, count(*), 0, 0
  FROM (SELECT DISTINCT url, recipient FROM cells WHERE url <> '' AND recipient <> '' AND clicks > 0) c
  GROUP BY url
  UNION ALL
  SELECT url, 0, 0, 0, 0 FROM stats_urls WHERE campaign_id = $1
),
${rangeSeries},
-- Each wave: what its links and messages say, counted straight from the per-wave rollup, then
-- corrected by its recipients' events in the range (looked up one by one): a recipient the rollup
-- does not know, a delivery or failure that only an event reports. No join over every recipient.
wave_known AS (
  SELECT wave, min(first_seen_at) AS first_seen, count(*) AS recipients,
         count(*) FILTER (WHERE messages_charged > 0) AS sent,
         count(*) FILTER (WHERE messages_delivered > 0) AS delivered,
         count(*) FILTER (WHERE messages_failed > 0 AND messages_delivered = 0) AS failed,
         coalesce(sum(segments), 0) AS segments
  FROM stats_wave_recipients WHERE campaign_id = $1 AND ($10::text IS NULL OR wave = $10::text)
  GROUP BY wave
),
wave_events AS (
  SELECT e.wave, e.views, e.clicks, e.conversions, e.revenue,
         k.recipient IS NOT NULL AS known,
         coalesce(k.messages_delivered > 0, false) AS k_delivered,
         coalesce(k.messages_failed > 0, false) AS k_failed,
         e.delivered_events > 0 AS e_delivered, e.failed_events > 0 AS e_failed
  FROM per_event_wave_recipient e
  LEFT JOIN stats_wave_recipients k ON k.campaign_id = $1 AND k.wave = e.wave AND k.recipient = e.recipient
  WHERE e.wave <> '' AND e.recipient <> ''
),
wave_event_counts AS (
  SELECT wave,
         count(*) FILTER (WHERE NOT known) AS new_recipients,
         count(*) FILTER (WHERE e_delivered AND NOT k_delivered) AS more_delivered,
         sum(((k_failed OR e_failed) AND NOT (k_delivered OR e_delivered))::int
             - (k_failed AND NOT k_delivered)::int) AS more_failed,
         coalesce(sum(views), 0) AS views,
         count(*) FILTER (WHERE views > 0) AS "uniqueViewers",
         coalesce(sum(clicks), 0) AS clicks,
         count(*) FILTER (WHERE clicks > 0) AS "uniqueClickers",
         coalesce(sum(conversions), 0) AS conversions,
         count(*) FILTER (WHERE conversions > 0) AS "uniqueConverters",
         count(*) FILTER (WHERE conversions > 0 AND clicks > 0) AS "convertedClickers",
         coalesce(sum(revenue), 0) AS revenue
  FROM wave_events
  GROUP BY wave
),
wave_metrics AS (
  SELECT false AS total, null::text AS variant, wave, k.first_seen,
         coalesce(k.recipients, 0) + coalesce(e.new_recipients, 0) AS recipients,
         coalesce(k.sent, 0) AS sent,
         coalesce(k.delivered, 0) + coalesce(e.more_delivered, 0) AS delivered,
         coalesce(k.failed, 0) + coalesce(e.more_failed, 0) AS failed,
         coalesce(e.views, 0) AS views,
         coalesce(e."uniqueViewers", 0) AS "uniqueViewers",
         coalesce(e.clicks, 0) AS clicks,
         coalesce(e."uniqueClickers", 0) AS "uniqueClickers",
         coalesce(e.conversions, 0) AS conversions,
         coalesce(e."uniqueConverters", 0) AS "uniqueConverters",
         coalesce(e."convertedClickers", 0) AS "convertedClickers",
         coalesce(e.revenue, 0) AS revenue,
         coalesce(k.segments, 0) AS segments
  FROM wave_known k
  FULL JOIN wave_event_counts e USING (wave)
)`;

/** Timeline buckets: hours, days or weeks depending on the span `hourly` covers. */
const spanAndTimeline = `
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
)`;

/** The answer's breakdowns, timeline and other currencies, from dims, hourly, span, timeline and currencies. */
const seriesFields = `
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
                      WHERE currency <> '' AND currency IS DISTINCT FROM $5::text AND conversions > 0)`;

/** Totals, variants and the median wait for the first click, from the relation `recipients`. */
const recipientFigures = `
metrics AS (
  SELECT GROUPING(variant) = 1 AS total, variant, ${recipientCounts}
  FROM recipients
  GROUP BY GROUPING SETS ((), (variant))
),
first_clicks AS (
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM first_click - sent_at))) AS median
  FROM recipients WHERE first_click IS NOT NULL AND sent_at IS NOT NULL
)`;

/** The answer, from metrics, first_clicks, wave_metrics, link_rows and the series' relations. */
const answer = `
${spanAndTimeline}
SELECT json_build_object(
  'metrics', (SELECT json_agg(m) FROM metrics m),
  'waves', (SELECT coalesce(json_agg(w ORDER BY w.first_seen NULLS LAST, w.wave), '[]') FROM wave_metrics w),
  'medianSecondsToFirstClick', (SELECT median FROM first_clicks),
  'links', (SELECT coalesce(json_agg(l ORDER BY l.clicks DESC, l.views DESC, l.url), '[]')
            FROM (SELECT url, sum(clicks) AS clicks, sum("uniqueClickers") AS "uniqueClickers",
                         sum(views) AS views, sum(conversions) AS conversions
                  FROM link_rows GROUP BY url) l),
${seriesFields}
) AS result`;

export const statsFromRollupsSql = `WITH ${rollupSource},\n${answer}`;
export const statsForRangeSql = `WITH ${rangeSource},\n${recipientFigures},\n${answer}`;

/**
 * The parts of a range's answer that need no recipient (breakdowns, timeline, other currencies)
 * and the campaign's URLs; the per-recipient figures are computed by range-cells.ts. Parameters
 * as statsForRangeSql's, without $10 (the range is of every wave).
 */
export const rangeSeriesSql = `WITH ${partialEvents(false)},
${rangeSeries},
${spanAndTimeline}
SELECT json_build_object(${seriesFields},
  'urls', (SELECT coalesce(json_agg(url ORDER BY url), '[]') FROM stats_urls WHERE campaign_id = $1)
) AS result`;
