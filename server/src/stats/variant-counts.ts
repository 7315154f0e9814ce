import type { Queryable } from '../db';
import type { VariantCounts } from './winner';

/**
 * Each variant's counts of many campaigns in one statement, from their kept figures (migration
 * 033: a few rows per campaign and variant, which the whole-campaign stats sum too; a recipient's
 * variant is its message's, else its link's, else its events'; sent = a charged message; clickers
 * and converters unique), so a test reads what GET …/stats reports, without the breakdowns.
 * Events the background folder has not folded yet are not in it (see foldCampaign).
 */
export async function variantCountsOf(
	db: Queryable,
	campaignIds: string[],
): Promise<Map<string, VariantCounts[]>> {
	const byCampaign = new Map<string, VariantCounts[]>(campaignIds.map((id) => [id, []]));
	if (!campaignIds.length) return byCampaign;
	const { rows } = await db.query<VariantCounts & { campaign_id: string }>(
		`SELECT campaign_id, variant,
		        sum(recipients)::int AS recipients,
		        sum(sent)::int AS sent,
		        sum(unique_clickers)::int AS "uniqueClickers",
		        sum(unique_converters)::int AS "uniqueConverters"
		 FROM stats_variant_figures
		 WHERE campaign_id = ANY ($1::text[]) AND variant IS NOT NULL
		 GROUP BY 1, 2
		 -- a variant is there while a recipient has it
		 HAVING sum(recipients) > 0`,
		[campaignIds],
		'variant-counts',
	);
	for (const { campaign_id, ...counts } of rows) {
		if (counts.variant !== null) byCampaign.get(campaign_id)?.push(counts);
	}
	return byCampaign;
}

/**
 * What each campaign's variant counts are as of: its newest event, or null while some of its
 * events wait to be folded (then the counts are about to change: read them again). Counts read
 * after a signature include every event up to it, so equal signatures mean unchanged counts, up
 * to two exceptions its reader must allow for: new messages (which change the audience) and an
 * event that commits after a newer one was seen. One index probe per campaign.
 */
export async function countsSignaturesOf(
	db: Queryable,
	campaignIds: string[],
): Promise<Map<string, string | null>> {
	if (!campaignIds.length) return new Map();
	const { rows } = await db.query<{ id: string; signature: string | null }>(
		`SELECT c.id,
		        CASE WHEN EXISTS (SELECT 1 FROM stats_pending p WHERE p.campaign_id = c.id) THEN NULL
		             ELSE coalesce((SELECT max(e.id) FROM events e WHERE e.campaign_id = c.id), 0)::text END AS signature
		 FROM unnest($1::text[]) AS c(id)`,
		[campaignIds],
		'variant-counts-signatures',
	);
	return new Map(rows.map((r) => [r.id, r.signature]));
}
