/**
 * The statements behind range-cells.ts: what a time range needs per recipient, read as packed
 * records (migration 025) rather than as one row per recipient.
 */

/**
 * Records of the whole slots [$2, $3): one row per fold batch and slot, with the slot's start (ms
 * float8), hour of day and ISO day of week (int4) in the time zone $4 (a slot lies within one
 * local hour in every zone). Read by binary COPY (db/copy-rows.ts): the records arrive as stored.
 */
export const slotCellsSql = `
SELECT (extract(epoch FROM slot) * 1000)::float8 AS slot_ms,
       extract(hour FROM slot AT TIME ZONE $4::text)::int AS hour,
       extract(isodow FROM slot AT TIME ZONE $4::text)::int AS dow, cells
FROM stats_slot_cells
WHERE campaign_id = $1 AND slot >= $2::timestamptz AND slot < $3::timestamptz`;

/**
 * The lowest and highest recipient number of the campaign (every record's lies between), each one
 * step down an index, and how many recipients it has: its kept figures' count (migration 033),
 * the same rows as the copies' (every recipient but the anonymous ''), without counting them.
 */
export const ordinalBoundsSql = `
SELECT (SELECT min(ordinal) FROM stats_recipient_facts WHERE campaign_id = $1) AS low,
       (SELECT max(ordinal) FROM stats_recipient_facts WHERE campaign_id = $1) AS high,
       (SELECT coalesce(sum(recipients), 0) FROM stats_variant_figures WHERE campaign_id = $1) AS count`;

/** What the records' device type, OS, browser, country, URL, wave and variant numbers stand for. */
export const dimensionValuesSql = 'SELECT id, dimension, key FROM stats_dimension_values';

/**
 * The same records for the partial slots [$2, $3) and [$4, $5), made from the events (at most two
 * slots' worth), one row per record, with the dimension values as text; $6 is the campaign's
 * currency, $7 the time zone.
 */
export const partialCellsSql = `
SELECT coalesce(e.wave, '') AS wave, coalesce(e.url, '') AS url, coalesce(e.variant, '') AS variant,
       coalesce(r.ordinal, 0) AS ordinal,
       extract(hour FROM stats_slot(e.occurred_at) AT TIME ZONE $7::text)::int AS hour,
       extract(isodow FROM stats_slot(e.occurred_at) AT TIME ZONE $7::text)::int AS dow,
       e.device_type, e.os, e.browser, e.country::text AS country,
       count(*) FILTER (WHERE e.type = 'view') AS views,
       count(*) FILTER (WHERE e.type = 'click') AS clicks,
       count(*) FILTER (WHERE e.type = 'conversion') AS conversions,
       count(*) FILTER (WHERE e.type = 'delivered') AS delivered,
       count(*) FILTER (WHERE e.type = 'failed') AS failed,
       (coalesce(sum(e.conversion_value) FILTER (
         WHERE e.type = 'conversion' AND (e.conversion_currency IS NULL OR e.conversion_currency = $6::text)), 0)
         * 10000)::bigint AS revenue,
       extract(epoch FROM min(e.occurred_at) FILTER (WHERE e.type = 'click')) * 1000 AS first_click_ms
FROM events e
LEFT JOIN stats_recipients r ON r.campaign_id = e.campaign_id AND r.recipient = e.recipient
WHERE e.campaign_id = $1
  -- every type but 'bot', spelled out so the (campaign, type, time) index serves the ranges
  AND e.type IN ('click', 'view', 'conversion', 'delivered', 'failed')
  AND ((e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz)
    OR (e.occurred_at >= $4::timestamptz AND e.occurred_at < $5::timestamptz))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`;

/**
 * Both read by binary COPY (db/copy-rows.ts), as the records are stored.
 *
 * What links and messages say about every recipient of the campaign (stats_recipient_facts,
 * migration 032), grouped by variant, one packed record per recipient (28 bytes, big-endian):
 * ordinal int8 | flags int4 (1 sent, 2 delivered, 4 failed) | segments int8 | first sent float8
 * (ms since the epoch, NaN for none).
 */
export const knownRecipientsSql = `
SELECT variant, string_agg(record, ''::bytea) AS records
FROM stats_recipient_facts
WHERE campaign_id = $1
GROUP BY 1`;

/**
 * The same per wave (stats_wave_recipient_facts), with the wave's first send (ms since the epoch,
 * float8); records of 20 bytes:
 * ordinal int8 | flags int4 | segments int8.
 */
export const knownWaveRecipientsSql = `
SELECT wave, (extract(epoch FROM min(first_seen_at)) * 1000)::float8 AS first_seen_ms,
       string_agg(record, ''::bytea) AS records
FROM stats_wave_recipient_facts
WHERE campaign_id = $1
GROUP BY wave`;
