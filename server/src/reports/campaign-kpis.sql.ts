import { campaignFilters } from '../campaigns/store';
import type { MetricsRow } from '../stats/metrics';
import { after, orderBy, sortKeys, type KpiCursor } from './kpi-order';
import type { KpisQuery } from './schemas';

export type Figures = Pick<MetricsRow, 'recipients' | 'sent' | 'uniqueClickers' | 'uniqueConverters' | 'revenue' | 'segments'>;

export interface CampaignRow {
	id: string;
	name: string;
	created_at: Date;
	archived_at: Date | null;
	currency: string | null;
	cost_per_segment: string | null;
	/** The row's sort key as PostgreSQL prints it, for the next page's cursor. */
	sort_value: string | null;
}

export type KpiRow = CampaignRow & Figures;

type Statement = [text: string, values: unknown[]];

export const noFigures: Figures = { recipients: 0, sent: 0, uniqueClickers: 0, uniqueConverters: 0, revenue: 0, segments: 0 };

const campaignColumns = 'id, name, created_at, archived_at, currency, cost_per_segment';

/**
 * The kept figures (migration 033: a few rows of differences per campaign, the same the stats'
 * totals read) of the campaigns the subquery `campaigns` names, summed per campaign.
 */
const figuresOf = (campaigns: string) => `
SELECT campaign_id,
       sum(recipients) AS recipients,
       sum(sent) AS sent,
       sum(unique_clickers) AS "uniqueClickers",
       sum(unique_converters) AS "uniqueConverters",
       coalesce(sum(revenue), 0) AS revenue,
       coalesce(sum(segments), 0) AS segments
FROM stats_variant_figures
WHERE campaign_id IN (${campaigns})
GROUP BY campaign_id`;

/** The filters' conditions, and the cursor's when `cursor` is given, over `$1` = the page size. */
function conditions(query: KpisQuery, cursor: KpiCursor | undefined, values: unknown[]) {
	const where = campaignFilters(query, values);
	if (cursor) where.push(after(query.sort, query.order, cursor, values));
	return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/** A page of campaigns by a column of theirs (creation date, name): the index's or a small sort's worth of rows. */
export function campaignPageSql(query: KpisQuery, cursor: KpiCursor | undefined): Statement {
	const values: unknown[] = [query.limit];
	const where = conditions(query, cursor, values);
	return [
		`SELECT ${campaignColumns}, (${sortKeys[query.sort].key})::text AS sort_value
		 FROM campaigns ${where}
		 ORDER BY ${orderBy(query.sort, query.order)} LIMIT $1`,
		values,
	];
}

/** The figures of the campaigns `ids`. */
export const figuresSql = (ids: string[]): Statement => [figuresOf('SELECT unnest($1::text[])'), [ids]];

/**
 * A page of campaigns by a figure: every campaign the filters keep is summed from its kept
 * figures in one grouped statement, then sorted and cut after the cursor.
 */
export function figureSortedSql(query: KpisQuery, cursor: KpiCursor | undefined): Statement {
	const values: unknown[] = [query.limit];
	const listed = `SELECT ${campaignColumns} FROM campaigns ${conditions(query, undefined, values)}`;
	const resume = cursor ? `WHERE ${after(query.sort, query.order, cursor, values)}` : '';
	return [
		`WITH listed AS (${listed}),
		 figures AS (${figuresOf('SELECT id FROM listed')}),
		 listed_figures AS (
		   SELECT l.*,
		          coalesce(f.recipients, 0) AS recipients, coalesce(f.sent, 0) AS sent,
		          coalesce(f."uniqueClickers", 0) AS "uniqueClickers", coalesce(f."uniqueConverters", 0) AS "uniqueConverters",
		          coalesce(f.revenue, 0) AS revenue, coalesce(f.segments, 0) AS segments
		   FROM listed l LEFT JOIN figures f ON f.campaign_id = l.id)
		 SELECT *, (${sortKeys[query.sort].key})::text AS sort_value FROM listed_figures
		 ${resume}
		 ORDER BY ${orderBy(query.sort, query.order)} LIMIT $1`,
		values,
	];
}
