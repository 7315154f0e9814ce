import { badRequest } from '../http/errors';

/** What the campaign list sorts by: a column of the campaign, or one of its KPIs. */
export const kpiSorts = [
	'createdAt',
	'name',
	'recipients',
	'sent',
	'uniqueClickers',
	'ctr',
	'uniqueConverters',
	'conversionRate',
	'revenue',
	'cost',
	'roi',
] as const;
export type KpiSort = (typeof kpiSorts)[number];
export const sortOrders = ['asc', 'desc'] as const;
export type SortOrder = (typeof sortOrders)[number];

/** Where the list's order resumes: the sort key (as PostgreSQL prints it) and id of the last campaign of a page. */
export interface KpiCursor {
	value: string | null;
	id: string;
}

/**
 * The sort key of each sort and its type, over the columns of the KPI statement. Names sort by
 * code point, case ignored. Rates, cost and ROI are computed as toMetrics computes them (the same
 * bases, the same rounding of money and ROI), so the order is the order of the figures shown.
 */
export const sortKeys: Record<KpiSort, { key: string; type: string; nullable: boolean; campaignColumn: boolean }> = {
	createdAt: { key: 'created_at', type: 'timestamptz', nullable: false, campaignColumn: true },
	name: { key: 'lower(name) COLLATE "C"', type: 'text', nullable: false, campaignColumn: true },
	recipients: { key: 'recipients', type: 'bigint', nullable: false, campaignColumn: false },
	sent: { key: 'sent', type: 'bigint', nullable: false, campaignColumn: false },
	uniqueClickers: { key: '"uniqueClickers"', type: 'bigint', nullable: false, campaignColumn: false },
	ctr: { key: '"uniqueClickers"::float8 / nullif(CASE WHEN sent > 0 THEN sent ELSE recipients END, 0)', type: 'float8', nullable: true, campaignColumn: false },
	uniqueConverters: { key: '"uniqueConverters"', type: 'bigint', nullable: false, campaignColumn: false },
	conversionRate: { key: '"uniqueConverters"::float8 / nullif(CASE WHEN sent > 0 THEN sent ELSE recipients END, 0)', type: 'float8', nullable: true, campaignColumn: false },
	revenue: { key: 'revenue', type: 'numeric', nullable: false, campaignColumn: false },
	cost: { key: 'round(segments * cost_per_segment, 4)', type: 'numeric', nullable: true, campaignColumn: false },
	roi: { key: 'round((revenue - round(segments * cost_per_segment, 4)) / nullif(round(segments * cost_per_segment, 4), 0), 6)', type: 'numeric', nullable: true, campaignColumn: false },
};

/** Ties go by id in byte order, whatever the database's collation. */
const id = 'id COLLATE "C"';

/**
 * The order of the list: the key in the order asked, ties by id in the same direction, and
 * campaigns without the key (a rate without recipients, a cost or ROI without a cost) after all
 * others in either direction.
 */
export function orderBy(sort: KpiSort, order: SortOrder): string {
	const dir = order === 'asc' ? 'ASC' : 'DESC';
	return `${sortKeys[sort].key} IS NULL, ${sortKeys[sort].key} ${dir}, ${id} ${dir}`;
}

/** The condition that keeps what comes after the cursor in that order; its values appended to `values`. */
export function after(sort: KpiSort, order: SortOrder, cursor: KpiCursor, values: unknown[]): string {
	const { key, type, nullable } = sortKeys[sort];
	const op = order === 'asc' ? '>' : '<';
	values.push(cursor.id);
	const lastId = `$${values.length}`;
	if (cursor.value === null) return `(${key} IS NULL AND ${id} ${op} ${lastId})`;
	values.push(cursor.value);
	const value = `$${values.length}::${type}`;
	if (!nullable) return `(${key}, ${id}) ${op} (${value}, ${lastId})`;
	return `(${key} IS NULL OR ${key} ${op} ${value} OR (${key} = ${value} AND ${id} ${op} ${lastId}))`;
}

/** What PostgreSQL prints for each key type: a cursor's key is read back only in that shape. */
const valuePatterns: Record<string, RegExp> = {
	timestamptz: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
	text: /^[\s\S]{0,400}$/,
	bigint: /^-?\d{1,19}$/,
	float8: /^(-?\d+(\.\d+)?(e[+-]\d+)?|NaN|-?Infinity)$/,
	numeric: /^-?\d{1,30}(\.\d{1,20})?$/,
};

/** Cursors are opaque to callers: the sort, order, key and id of the last campaign, base64url-encoded. */
export const encodeCursor = (sort: KpiSort, order: SortOrder, cursor: KpiCursor) =>
	Buffer.from(JSON.stringify([sort, order, cursor.value, cursor.id]), 'utf8').toString('base64url');

/** The cursor of GET /campaigns/kpis, which must have been made for the same sort and order. */
export function decodeCursor(value: string | undefined, sort: KpiSort, order: SortOrder): KpiCursor | undefined {
	if (value === undefined) return undefined;
	let parts: unknown;
	try {
		parts = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
	} catch {
		parts = undefined;
	}
	if (
		!Array.isArray(parts) ||
		parts.length !== 4 ||
		(typeof parts[2] !== 'string' && parts[2] !== null) ||
		typeof parts[3] !== 'string'
	)
		throw badRequest('cursor is not a cursor this server returned', 'invalid_cursor');
	if (parts[0] !== sort || parts[1] !== order)
		throw badRequest(`cursor belongs to another order than ${sort} ${order}: start again without a cursor`, 'invalid_cursor');
	if (parts[2] !== null && !valuePatterns[sortKeys[sort].type].test(parts[2]))
		throw badRequest('cursor is not a cursor this server returned', 'invalid_cursor');
	return { value: parts[2], id: parts[3] };
}
