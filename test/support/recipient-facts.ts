import type { Sql } from './db';

/**
 * Where stats_recipient_facts and stats_wave_recipient_facts (migration 032) differ from what the
 * rollups they copy say, one line per difference: `missing …` (the rollups say it, the copy does
 * not) or `stray …` (the other way round). Empty when they are in step. The facts are worked out
 * here from the rollups' own columns, and the copies' packed records are unpacked here, not with
 * the migration's functions.
 */
export async function recipientFactsOutOfStep(sql: Sql): Promise<string[]> {
	const flags = (prefix: string) =>
		`(${prefix}messages_charged > 0)::int + 2 * (${prefix}messages_delivered > 0)::int + 4 * (${prefix}messages_failed > 0)::int`;
	const want = await sql<{ line: string }>(
		`SELECT concat_ws(' ', campaign_id, recipient, ordinal, coalesce(message_variant, link_variant, '-'),
		   ${flags('')}, segments, coalesce((extract(epoch FROM sent_at) * 1000)::float8, 'NaN')) AS line
		 FROM stats_recipients WHERE recipient <> ''
		 UNION ALL
		 SELECT concat_ws(' ', w.campaign_id, w.wave, w.recipient, r.ordinal, w.first_seen_at, ${flags('w.')}, w.segments)
		 FROM stats_wave_recipients w LEFT JOIN stats_recipients r USING (campaign_id, recipient)`,
	);
	const have = [
		...(
			await sql<{
				campaign_id: string;
				recipient: string;
				ordinal: string;
				variant: string | null;
				record: Buffer;
			}>('SELECT campaign_id, recipient, ordinal, variant, record FROM stats_recipient_facts')
		).map((r) => {
			expect(r.record.length).toBe(28);
			expect(r.record.readBigInt64BE(0).toString()).toBe(r.ordinal);
			const sentMs = r.record.readDoubleBE(20);
			return [
				r.campaign_id,
				r.recipient,
				r.ordinal,
				r.variant ?? '-',
				r.record.readInt32BE(8),
				r.record.readBigInt64BE(12),
				Number.isNaN(sentMs) ? 'NaN' : sentMs,
			].join(' ');
		}),
		...(
			await sql<{ line: string; ordinal: string; record: Buffer }>(
				`SELECT concat_ws(' ', campaign_id, wave, recipient, ordinal, first_seen_at) AS line, ordinal, record
				 FROM stats_wave_recipient_facts`,
			)
		).map((r) => {
			expect(r.record.length).toBe(20);
			expect(r.record.readBigInt64BE(0).toString()).toBe(r.ordinal);
			return `${r.line} ${r.record.readInt32BE(8)} ${r.record.readBigInt64BE(12)}`;
		}),
	];
	const wanted = new Set(want.map((w) => w.line));
	const had = new Set(have);
	return [
		...[...wanted].filter((line) => !had.has(line)).map((line) => `missing ${line}`),
		...have.filter((line) => !wanted.has(line)).map((line) => `stray ${line}`),
	];
}

const counts = (person: string) => `
  count(*) FILTER (WHERE ${person})::int AS recipients,
  count(*) FILTER (WHERE messages_charged > 0)::int AS sent,
  count(*) FILTER (WHERE messages_delivered > 0 OR delivered_events > 0)::int AS delivered,
  count(*) FILTER (WHERE (messages_failed > 0 OR failed_events > 0)
    AND NOT (messages_delivered > 0 OR delivered_events > 0))::int AS failed,
  sum(views)::int AS views, count(*) FILTER (WHERE ${person} AND views > 0)::int AS unique_viewers,
  sum(clicks)::int AS clicks, count(*) FILTER (WHERE ${person} AND clicks > 0)::int AS unique_clickers,
  sum(conversions)::int AS conversions,
  count(*) FILTER (WHERE ${person} AND conversions > 0)::int AS unique_converters,
  count(*) FILTER (WHERE ${person} AND conversions > 0 AND clicks > 0)::int AS converted_clickers,
  sum(revenue)::text AS revenue, sum(segments)::int AS segments`;

const sums = `
  sum(recipients)::int AS recipients, sum(sent)::int AS sent, sum(delivered)::int AS delivered,
  sum(failed)::int AS failed, sum(views)::int AS views, sum(unique_viewers)::int AS unique_viewers,
  sum(clicks)::int AS clicks, sum(unique_clickers)::int AS unique_clickers,
  sum(conversions)::int AS conversions, sum(unique_converters)::int AS unique_converters,
  sum(converted_clickers)::int AS converted_clickers, sum(revenue)::text AS revenue,
  sum(segments)::int AS segments`;

/**
 * The kept figures of every campaign (migration 033: rows of differences summed per variant and
 * per wave) beside the same figures counted over the rollups' rows, as [kept, counted]: equal
 * when they are in step. Variants and waves whose kept figures are all zero are left out (a
 * variant no recipient has any more).
 */
export async function keptFigures(sql: Sql): Promise<[unknown[], unknown[]]> {
	const variant = `CASE WHEN recipient <> '' THEN coalesce(message_variant, link_variant, event_variant) END`;
	const kept = await sql(`
		SELECT * FROM (
		  SELECT campaign_id, variant AS key, ${sums} FROM stats_variant_figures GROUP BY 1, 2
		  UNION ALL
		  SELECT campaign_id, 'wave ' || wave || ' ' || min(first_seen), ${sums} FROM stats_wave_figures GROUP BY 1, wave
		) k WHERE recipients <> 0 OR views <> 0 OR clicks <> 0 OR sent <> 0
		ORDER BY 1, 2 NULLS FIRST`);
	const counted = await sql(`
		SELECT campaign_id, ${variant} AS key, ${counts(`recipient <> ''`)} FROM stats_recipients GROUP BY 1, 2
		UNION ALL
		SELECT campaign_id, 'wave ' || wave || ' ' || min(first_seen_at), ${counts('true')}
		FROM stats_wave_recipients GROUP BY 1, wave
		ORDER BY 1, 2 NULLS FIRST`);
	return [kept, counted];
}
