import type { Sql } from './db';

/**
 * Where stats_recipient_facts and stats_wave_recipient_facts (migration 032) differ from what the
 * rollups they copy say, one row per difference: `missing` (the rollups say it, the copy does
 * not) or `stray` (the other way round). Empty when they are in step. The facts are worked out
 * here from the rollups' own columns, not with the migration's functions.
 */
export function recipientFactsOutOfStep(sql: Sql): Promise<unknown[]> {
	return sql(`
WITH want AS (
  SELECT campaign_id, recipient, ordinal, coalesce(message_variant, link_variant) AS variant,
         (messages_charged > 0)::int + 2 * (messages_delivered > 0)::int + 4 * (messages_failed > 0)::int AS flags,
         segments, sent_at
  FROM stats_recipients WHERE recipient <> ''
), have AS (
  SELECT campaign_id, recipient, ordinal, variant, flags, segments, sent_at FROM stats_recipient_facts
), want_waves AS (
  SELECT w.campaign_id, w.wave, w.recipient, r.ordinal, w.first_seen_at,
         (w.messages_charged > 0)::int + 2 * (w.messages_delivered > 0)::int + 4 * (w.messages_failed > 0)::int AS flags,
         w.segments
  FROM stats_wave_recipients w LEFT JOIN stats_recipients r USING (campaign_id, recipient)
), have_waves AS (
  SELECT campaign_id, wave, recipient, ordinal, first_seen_at, flags, segments FROM stats_wave_recipient_facts
)
SELECT 'missing' AS what, to_jsonb(m) AS facts FROM (TABLE want EXCEPT TABLE have) m
UNION ALL SELECT 'stray', to_jsonb(s) FROM (TABLE have EXCEPT TABLE want) s
UNION ALL SELECT 'missing wave', to_jsonb(m) FROM (TABLE want_waves EXCEPT TABLE have_waves) m
UNION ALL SELECT 'stray wave', to_jsonb(s) FROM (TABLE have_waves EXCEPT TABLE want_waves) s`);
}
