import type { Database } from '../db';
import { toMetrics } from '../stats/metrics';
import { foldQueuedCampaigns } from '../stats/rollup-folder';
import { campaignPageSql, figureSortedSql, figuresSql, noFigures, type CampaignRow, type Figures, type KpiRow } from './campaign-kpis.sql';
import { decodeCursor, encodeCursor, sortKeys } from './kpi-order';
import type { KpisQuery } from './schemas';

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
 * A page of the campaign list (the filters of GET /campaigns) with each campaign's headline
 * figures, computed like the stats' totals (the same toMetrics), so the list and a campaign's page
 * never disagree; in the order asked, across pages.
 *
 * By creation date or name, a page of campaigns is read by its order, then the figures of that
 * page only. By a figure, every campaign the filters keep is summed from its kept figures (a few
 * rows each, never the recipients or the events) in one grouped statement and the page cut from
 * that order: the cost grows with the listed campaigns, not with their recipients.
 */
export async function campaignKpis(db: Database, query: KpisQuery): Promise<{ campaigns: CampaignKpis[]; nextCursor: string | null }> {
	const { sort, order } = query;
	const cursor = decodeCursor(query.cursor, sort, order);
	let rows: KpiRow[];
	if (sortKeys[sort].campaignColumn) {
		const page = await db.query<CampaignRow>(...campaignPageSql(query, cursor));
		const ids = page.rows.map((c) => c.id);
		await foldQueuedCampaigns(db, ids);
		const figures = await db.query<Figures & { campaign_id: string }>(...figuresSql(ids));
		const byId = new Map(figures.rows.map((row) => [row.campaign_id, row]));
		rows = page.rows.map((campaign) => ({ ...campaign, ...(byId.get(campaign.id) ?? noFigures) }));
	} else {
		await foldQueuedCampaigns(db);
		({ rows } = await db.query<KpiRow>(...figureSortedSql(query, cursor)));
	}
	const last = rows.length === query.limit ? rows[rows.length - 1] : undefined;
	return {
		campaigns: rows.map(toKpis),
		nextCursor: last ? encodeCursor(sort, order, { value: last.sort_value, id: last.id }) : null,
	};
}

function toKpis(row: KpiRow): CampaignKpis {
	const m = toMetrics(
		{
			total: true,
			variant: null,
			delivered: 0,
			failed: 0,
			views: 0,
			uniqueViewers: 0,
			clicks: 0,
			conversions: 0,
			convertedClickers: 0,
			recipients: row.recipients,
			sent: row.sent,
			uniqueClickers: row.uniqueClickers,
			uniqueConverters: row.uniqueConverters,
			revenue: row.revenue,
			segments: row.segments,
		},
		row.cost_per_segment === null ? null : Number(row.cost_per_segment),
	);
	return {
		id: row.id,
		name: row.name,
		createdAt: row.created_at.toISOString(),
		archivedAt: row.archived_at ? row.archived_at.toISOString() : null,
		currency: row.currency,
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
