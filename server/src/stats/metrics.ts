/** The numbers reported for the whole campaign and for each variant (rates are fractions 0..1). */
export interface Metrics {
	recipients: number;
	sent: number;
	delivered: number;
	failed: number;
	views: number;
	/** Recipients whose phone rendered a link preview (not part of the agreed shape; used by the funnel). */
	uniqueViewers: number;
	clicks: number;
	uniqueClickers: number;
	ctr: number | null;
	conversions: number;
	uniqueConverters: number;
	conversionRate: number | null;
	conversionRateOfClickers: number | null;
	revenue: number;
	cost: number | null;
	roi: number | null;
	segments: number;
}

/** The counts the stats statement returns as they are; the rest of Metrics is derived from them. */
type Counts = Omit<Metrics, 'ctr' | 'conversionRate' | 'conversionRateOfClickers' | 'cost' | 'roi'>;

/** One row of the `metrics` part of the stats statement. */
export interface MetricsRow extends Counts {
	total: boolean;
	variant: string | null;
	convertedClickers: number;
}

const ratio = (numerator: number, denominator: number) =>
	denominator > 0 ? numerator / denominator : null;
/** Money rounded to 1/10000 of the unit, as stored, so sums of decimals print cleanly. */
const money = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * The base of CTR and conversion rate: recipients sent to, or, when the workflow reported no sent
 * messages at all, every recipient with a link.
 */
export const audience = (row: Pick<MetricsRow, 'sent' | 'recipients'>) =>
	row.sent > 0 ? row.sent : row.recipients;

export function toMetrics(row: MetricsRow, costPerSegment: number | null): Metrics {
	const revenue = money(Number(row.revenue));
	const cost = costPerSegment === null ? null : money(Number(row.segments) * costPerSegment);
	const base = audience(row);
	return {
		recipients: Number(row.recipients),
		sent: Number(row.sent),
		delivered: Number(row.delivered),
		failed: Number(row.failed),
		views: Number(row.views),
		uniqueViewers: Number(row.uniqueViewers),
		clicks: Number(row.clicks),
		uniqueClickers: Number(row.uniqueClickers),
		ctr: ratio(Number(row.uniqueClickers), base),
		conversions: Number(row.conversions),
		uniqueConverters: Number(row.uniqueConverters),
		conversionRate: ratio(Number(row.uniqueConverters), base),
		conversionRateOfClickers: ratio(Number(row.convertedClickers), Number(row.uniqueClickers)),
		revenue,
		cost,
		roi: cost === null || cost === 0 ? null : Math.round(((revenue - cost) / cost) * 1e6) / 1e6,
		segments: Number(row.segments),
	};
}
