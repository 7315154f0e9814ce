import type { Database } from '../db';
import type { Campaign, CampaignQuery } from '../campaigns/types';
import { listCampaigns } from '../campaigns/store';
import { toMetrics, type MetricsRow } from '../stats/metrics';
import { foldCampaign } from '../stats/rollup-folder';

export interface CampaignKpis {
	id: string;
	name: string;
	createdAt: string;
	archivedAt: string | null;
	currency: string | null;
	recipients: number;
	sent: number;
	uniqueClickers: number;
	/** Unique clickers / sent (recipients when no sends were reported), as in the stats. */
	ctr: number | null;
	uniqueConverters: number;
	conversionRate: number | null;
	revenue: number;
	cost: number | null;
	roi: number | null;
}

/**
 * One grouped read of the per-recipient rollup (migration 006, its primary key starts with the
 * campaign) for the campaigns of a page: the cost grows with the page's recipients, never with
 * the number of campaigns or of events.
 */
const kpiSql = `
SELECT campaign_id,
       count(*) AS recipients,
       count(*) FILTER (WHERE messages_charged > 0) AS sent,
       count(*) FILTER (WHERE clicks > 0) AS "uniqueClickers",
       count(*) FILTER (WHERE conversions > 0) AS "uniqueConverters",
       coalesce(sum(revenue), 0) AS revenue,
       coalesce(sum(segments), 0) AS segments
FROM stats_recipients
WHERE campaign_id = ANY ($1::text[])
GROUP BY campaign_id`;

type KpiRow = Pick<MetricsRow, 'recipients' | 'sent' | 'uniqueClickers' | 'uniqueConverters' | 'revenue' | 'segments'> & {
	campaign_id: string;
};

const none: Omit<KpiRow, 'campaign_id'> = {
	recipients: 0,
	sent: 0,
	uniqueClickers: 0,
	uniqueConverters: 0,
	revenue: 0,
	segments: 0,
};

/**
 * A page of the campaign list (the filters and order of GET /campaigns) with each campaign's
 * headline figures, computed like the stats' totals (the same toMetrics), so the list and a
 * campaign's page never disagree.
 */
export async function campaignKpis(
	db: Database,
	query: CampaignQuery,
): Promise<{ campaigns: CampaignKpis[]; nextCursor: string | null }> {
	const campaigns = await listCampaigns(db, query);
	for (const campaign of campaigns) await foldCampaign(db, campaign.id);
	const { rows } = await db.query<KpiRow>(kpiSql, [campaigns.map((c) => c.id)]);
	const byId = new Map(rows.map((row) => [row.campaign_id, row]));
	const last = campaigns.length === query.limit ? campaigns[campaigns.length - 1] : undefined;
	return {
		campaigns: campaigns.map((campaign) => toKpis(campaign, byId.get(campaign.id) ?? none)),
		nextCursor: last ? last.id : null,
	};
}

function toKpis(campaign: Campaign, row: Omit<KpiRow, 'campaign_id'>): CampaignKpis {
	const m = toMetrics(
		{
			...none,
			total: true,
			variant: null,
			delivered: 0,
			failed: 0,
			views: 0,
			uniqueViewers: 0,
			clicks: 0,
			conversions: 0,
			convertedClickers: 0,
			...row,
		},
		campaign.costPerSegment,
	);
	return {
		id: campaign.id,
		name: campaign.name,
		createdAt: campaign.createdAt,
		archivedAt: campaign.archivedAt,
		currency: campaign.currency,
		recipients: m.recipients,
		sent: m.sent,
		uniqueClickers: m.uniqueClickers,
		ctr: m.ctr,
		uniqueConverters: m.uniqueConverters,
		conversionRate: m.conversionRate,
		revenue: m.revenue,
		cost: m.cost,
		roi: m.roi,
	};
}
