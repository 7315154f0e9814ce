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
			await sql<{ campaign_id: string; recipient: string; ordinal: string; variant: string | null; record: Buffer }>(
				'SELECT campaign_id, recipient, ordinal, variant, record FROM stats_recipient_facts',
			)
		).map((r) => {
			expect(r.record.length).toBe(28);
			expect(r.record.readBigInt64BE(0).toString()).toBe(r.ordinal);
			const sentMs = r.record.readDoubleBE(20);
			return [r.campaign_id, r.recipient, r.ordinal, r.variant ?? '-', r.record.readInt32BE(8), r.record.readBigInt64BE(12), Number.isNaN(sentMs) ? 'NaN' : sentMs].join(' ');
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
