import type { Database } from '../db';
import { campaignFilters } from '../campaigns/store';
import { toMetrics, type MetricsRow } from '../stats/metrics';
import { foldCampaign, foldQueuedCampaigns } from '../stats/rollup-folder';
import { after, decodeCursor, encodeCursor, orderBy, sortKeys } from './kpi-order';
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

type Figures = Pick<MetricsRow, 'recipients' | 'sent' | 'uniqueClickers' | 'uniqueConverters' | 'revenue' | 'segments'>;

interface CampaignRow {
	id: string;
	name: string;
	created_at: Date;
	archived_at: Date | null;
	currency: string | null;
	cost_per_segment: string | null;
	/** The row's sort key as PostgreSQL prints it, for the next page's cursor. */
	sort_value: string | null;
}

const campaignColumns = 'id, name, created_at, archived_at, currency, cost_per_segment';

/**
 * A grouped read of the per-recipient rollup (migration 006, its primary key starts with the
 * campaign) for the campaigns `$campaigns` names.
 */
const figuresOf = (campaigns: string) => `
SELECT campaign_id,
       count(*) AS recipients,
       count(*) FILTER (WHERE messages_charged > 0) AS sent,
       count(*) FILTER (WHERE clicks > 0) AS "uniqueClickers",
       count(*) FILTER (WHERE conversions > 0) AS "uniqueConverters",
       coalesce(sum(revenue), 0) AS revenue,
       coalesce(sum(segments), 0) AS segments
FROM stats_recipients
WHERE campaign_id IN (${campaigns})
GROUP BY campaign_id`;

const none: Figures = { recipients: 0, sent: 0, uniqueClickers: 0, uniqueConverters: 0, revenue: 0, segments: 0 };

/**
 * A page of the campaign list (the filters of GET /campaigns) with each campaign's headline
 * figures, computed like the stats' totals (the same toMetrics), so the list and a campaign's page
 * never disagree; in the order asked, across pages.
 *
 * By creation date or name, a page of campaigns is read by its order, then the figures of that
 * page only: the cost grows with the page's recipients. By a figure, every campaign the filters
 * keep is summed from the rollup in one grouped statement (never from the events) and the page
 * cut from that order: the cost grows with the recipients of the listed campaigns.
 */
export async function campaignKpis(db: Database, query: KpisQuery): Promise<{ campaigns: CampaignKpis[]; nextCursor: string | null }> {
	const { sort, order } = query;
	const cursor = decodeCursor(query.cursor, sort, order);
	const values: unknown[] = [query.limit];
	const conditions = campaignFilters(query, values);
	let rows: (CampaignRow & Figures)[];
	if (sortKeys[sort].campaignColumn) {
		if (cursor) conditions.push(after(sort, order, cursor, values));
		const page = await db.query<CampaignRow>(
			`SELECT ${campaignColumns}, (${sortKeys[sort].key})::text AS sort_value FROM campaigns
			 ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
			 ORDER BY ${orderBy(sort, order)} LIMIT $1`,
			values,
		);
		for (const campaign of page.rows) await foldCampaign(db, campaign.id);
		const figures = await db.query<Figures & { campaign_id: string }>(figuresOf('SELECT unnest($1::text[])'), [page.rows.map((c) => c.id)]);
		const byId = new Map(figures.rows.map((row) => [row.campaign_id, row]));
		rows = page.rows.map((campaign) => ({ ...campaign, ...(byId.get(campaign.id) ?? none) }));
	} else {
		await foldQueuedCampaigns(db);
		const listed = `SELECT ${campaignColumns} FROM campaigns ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`;
		const resume = cursor ? `WHERE ${after(sort, order, cursor, values)}` : '';
		({ rows } = await db.query<CampaignRow & Figures>(
			`WITH listed AS (${listed}),
			 figures AS (${figuresOf('SELECT id FROM listed')}),
			 listed_figures AS (
			   SELECT l.*,
			          coalesce(f.recipients, 0) AS recipients, coalesce(f.sent, 0) AS sent,
			          coalesce(f."uniqueClickers", 0) AS "uniqueClickers", coalesce(f."uniqueConverters", 0) AS "uniqueConverters",
			          coalesce(f.revenue, 0) AS revenue, coalesce(f.segments, 0) AS segments
			   FROM listed l LEFT JOIN figures f ON f.campaign_id = l.id)
			 SELECT *, (${sortKeys[sort].key})::text AS sort_value FROM listed_figures
			 ${resume}
			 ORDER BY ${orderBy(sort, order)} LIMIT $1`,
			values,
		));
	}
	const last = rows.length === query.limit ? rows[rows.length - 1] : undefined;
	return {
		campaigns: rows.map(toKpis),
		nextCursor: last ? encodeCursor(sort, order, { value: last.sort_value, id: last.id }) : null,
	};
}

function toKpis(row: CampaignRow & Figures): CampaignKpis {
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
