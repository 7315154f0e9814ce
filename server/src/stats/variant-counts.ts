import type { Queryable } from '../db';
import type { VariantCounts } from './winner';

/**
 * Each variant's counts of many campaigns in one statement, from the per-recipient rollup with the
 * definitions of the whole-campaign stats (stats.sql.ts: a recipient's variant is its message's,
 * else its link's, else its events'; sent = a charged message; clickers and converters unique), so
 * a test reads what GET …/stats reports, without the breakdowns. Events the background folder has
 * not folded yet are not in it (see foldCampaign).
 */
export async function variantCountsOf(db: Queryable, campaignIds: string[]): Promise<Map<string, VariantCounts[]>> {
	const byCampaign = new Map<string, VariantCounts[]>(campaignIds.map((id) => [id, []]));
	if (!campaignIds.length) return byCampaign;
	const { rows } = await db.query<VariantCounts & { campaign_id: string }>(
		`SELECT campaign_id, coalesce(message_variant, link_variant, event_variant) AS variant,
		        count(*)::int AS recipients,
		        count(*) FILTER (WHERE messages_charged > 0)::int AS sent,
		        count(*) FILTER (WHERE clicks > 0)::int AS "uniqueClickers",
		        count(*) FILTER (WHERE conversions > 0)::int AS "uniqueConverters"
		 FROM stats_recipients
		 WHERE campaign_id = ANY ($1::text[])
		 GROUP BY 1, 2`,
		[campaignIds],
		'variant-counts',
	);
	for (const { campaign_id, ...counts } of rows) {
		if (counts.variant !== null) byCampaign.get(campaign_id)?.push(counts);
	}
	return byCampaign;
}
