import type { Database } from '../db';
import type { Campaign } from '../campaigns/types';
import { holdoutVariant } from '../campaigns/types';
import { toMetrics, type Metrics, type MetricsRow } from './metrics';
import type { StatsQuery } from './schemas';
import { foldCampaign } from './rollup-folder';
import { eventsOnlyPlan, planRange, slotMs, type RangePlan } from './range-slots';
import type { BreakdownFigures } from './range-breakdowns';
import { rangeBreakdowns, rangeFigures, type RangeFigures } from './range-cells';
import { rangeSeriesSql, statsForRangeSql, statsFromRollupsSql } from './stats.sql';

/**
 * One value of a breakdown: recipients with a click, view or conversion of that value in the
 * range, their clicks, unique clickers, conversions and revenue; rates over those recipients. A
 * wave's row carries the wave's own figures (its recipients, and rates over those sent to).
 */
export interface BreakdownRow<K = string> extends Omit<BreakdownFigures, 'key'> {
	key: K;
}

export interface CampaignStats {
	campaignId: string;
	currency: string | null;
	from: string | null;
	to: string | null;
	timeZone: string;
	/** The send wave the figures are limited to, null for every wave. */
	wave: string | null;
	totals: Metrics;
	variants: Array<{ variant: string } & Metrics>;
	/** Each send wave apart, in the order they were first sent. */
	waves: Array<{ wave: string } & Metrics>;
	links: Array<{
		url: string;
		clicks: number;
		uniqueClickers: number;
		views: number;
		conversions: number;
	}>;
	breakdowns: {
		deviceType: BreakdownRow[];
		os: BreakdownRow[];
		browser: BreakdownRow[];
		country: BreakdownRow[];
		hourOfDay: Array<BreakdownRow<number>>;
		/** ISO days: 1 Monday … 7 Sunday, in the time zone asked. */
		dayOfWeek: Array<BreakdownRow<number>>;
		link: BreakdownRow[];
		wave: BreakdownRow[];
	};
	timelineBucket: 'hour' | 'day' | 'week' | null;
	timeline: Array<{ bucket: string; clicks: number; views: number; conversions: number }>;
	medianSecondsToFirstClick: number | null;
	/** Conversion values in currencies other than the campaign's: reported here, never added to revenue. */
	otherCurrencies: Array<{ currency: string; conversions: number; revenue: number }>;
	winner: string | null;
}

interface StatsResult {
	metrics: MetricsRow[];
	waves: Array<MetricsRow & { wave: string }>;
	medianSecondsToFirstClick: number | null;
	links: CampaignStats['links'];
	timelineBucket: CampaignStats['timelineBucket'];
	timeline: Array<{ bucket: string; clicks: number; views: number; conversions: number }>;
	otherCurrencies: CampaignStats['otherCurrencies'];
}

/** The part of a range's answer read by rangeSeriesSql. */
type RangeSeries = Pick<StatsResult, 'timelineBucket' | 'timeline' | 'otherCurrencies'> & {
	urls: string[];
};

const noBreakdowns: RangeFigures['breakdowns'] = {
	deviceType: [],
	os: [],
	browser: [],
	country: [],
	hourOfDay: [],
	dayOfWeek: [],
	link: [],
};

/**
 * Rows of a whole campaign (or a time range of its events) are aggregated in memory by hash: give
 * the statement room so that a campaign with a few hundred thousand recipients does not spill.
 * JIT off: the whole-campaign statement's estimate sits just above jit_above_cost, and compiling
 * it took 61 of its 113 ms at 10,000,000 stored events (the plan runs in about 55 ms).
 */
const statementSettings = "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off";

/** Orders variants as the campaign defines them, then any others by name, the hold-out last. */
function variantOrder(campaign: Campaign): (a: string, b: string) => number {
	const defined = (campaign.variants ?? []).map((v) => v.name);
	const rank = (name: string) =>
		name === holdoutVariant ? 1e6 : defined.includes(name) ? defined.indexOf(name) : 1e3;
	return (a, b) => rank(a) - rank(b) || a.localeCompare(b);
}

/**
 * Whether [from, to) holds every event of the campaign (every slot of the range rollups): then the
 * range's answer is the whole campaign's, read from the per-recipient rollups.
 */
async function coversWholeCampaign(db: Database, campaignId: string, query: StatsQuery) {
	const { rows } = await db.query<{ first: Date | null; last: Date | null }>(
		'SELECT min(slot) AS first, max(slot) AS last FROM stats_recipient_slots WHERE campaign_id = $1',
		[campaignId],
	);
	const { first, last } = rows[0];
	if (!first || !last) return true;
	return (
		(!query.from || query.from <= first) &&
		(!query.to || query.to.getTime() >= last.getTime() + slotMs)
	);
}

/**
 * $1–$9 of statsForRangeSql and rangeSeriesSql (stats.sql.ts): the campaign, the first partial
 * slot, the time zone, the currency, the last partial slot and the whole slots between.
 */
function rangeParameters(campaign: Campaign, plan: RangePlan, timeZone: string): unknown[] {
	return [campaign.id, ...plan.partials[0], timeZone, campaign.currency, ...plan.partials[1], ...plan.slots];
}

/**
 * `breakdowns: false` (the winner, which reads only the totals and variants) leaves the
 * breakdowns of a whole campaign or one wave empty: they are the costly part of those answers.
 */
export async function campaignStats(
	db: Database,
	campaign: Campaign,
	query: StatsQuery,
	{ breakdowns = true }: { breakdowns?: boolean } = {},
): Promise<CampaignStats> {
	// Events not yet folded by the background folder are folded now: the answer is exact.
	await foldCampaign(db, campaign.id);
	const wave = query.wave ?? null;
	const whole =
		wave === null &&
		((!query.from && !query.to) || (await coversWholeCampaign(db, campaign.id, query)));
	const result = await db.withTransaction(
		async (tx): Promise<StatsResult & Pick<RangeFigures, 'breakdowns'>> => {
			// one snapshot for every statement below: the figures never mix two states of the rollups
			await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
			await tx.query(statementSettings);
			if (wave === null && !whole) {
				// A range of every wave: per-recipient figures from the packed slot records (range-cells.ts)
				const plan = planRange(query.from, query.to);
				const { rows } = await tx.query<{ result: RangeSeries }>(
					rangeSeriesSql,
					rangeParameters(campaign, plan, query.timeZone),
				);
				const series = rows[0].result;
				const figures = await rangeFigures(
					tx,
					campaign.id,
					campaign.currency,
					query.timeZone,
					plan,
					series.urls,
				);
				return { ...series, ...figures };
			}
			// The whole campaign from its rollups; one wave from its events (the slotted click
			// breakdowns do not keep waves apart). Breakdowns with rates come from the slot records.
			// The statement runs on a second connection (same snapshot) while the records are read here.
			const plan = whole ? planRange(null, null) : eventsOnlyPlan(query.from, query.to);
			const statement = tx.alongside(async (other) => {
				if (other !== tx) await other.query(statementSettings);
				return other.query<{ result: StatsResult }>(
					whole ? statsFromRollupsSql : statsForRangeSql,
					whole
						? [campaign.id, null, null, query.timeZone, campaign.currency]
						: [...rangeParameters(campaign, plan, query.timeZone), wave],
				);
			});
			statement.catch(() => undefined); // awaited below: no unhandled rejection meanwhile
			const rated = breakdowns
				? await rangeBreakdowns(
						tx,
						campaign.id,
						campaign.currency,
						query.timeZone,
						planRange(query.from, query.to),
						wave,
					).catch(async (err) => {
						await statement.catch(() => undefined); // this transaction must outlive it
						throw err;
					})
				: noBreakdowns;
			const { rows } = await statement;
			return { ...rows[0].result, breakdowns: rated };
		},
	);

	const empty: MetricsRow = {
		total: true,
		variant: null,
		recipients: 0,
		sent: 0,
		delivered: 0,
		failed: 0,
		views: 0,
		uniqueViewers: 0,
		clicks: 0,
		uniqueClickers: 0,
		conversions: 0,
		uniqueConverters: 0,
		convertedClickers: 0,
		revenue: 0,
		segments: 0,
	};
	const totalRow = result.metrics?.find((m) => m.total) ?? empty;
	const order = variantOrder(campaign);
	const variants = (result.metrics ?? [])
		.filter((m): m is MetricsRow & { variant: string } => !m.total && m.variant !== null)
		.sort((a, b) => order(a.variant, b.variant))
		.map((m) => ({ variant: m.variant, ...toMetrics(m, campaign.costPerSegment) }));

	const waves = (result.waves ?? []).map((w) => ({
		wave: w.wave,
		...toMetrics(w, campaign.costPerSegment),
	}));
	const keyed = (rows: BreakdownFigures[]) =>
		rows.map((row) => ({ ...row, key: row.key === '' ? 'unknown' : row.key }));
	const numbered = (rows: BreakdownFigures[]) =>
		rows.map((row) => ({ ...row, key: Number(row.key) }));

	return {
		campaignId: campaign.id,
		currency: campaign.currency,
		from: query.from?.toISOString() ?? null,
		to: query.to?.toISOString() ?? null,
		timeZone: query.timeZone,
		wave,
		totals: toMetrics(totalRow, campaign.costPerSegment),
		variants,
		waves,
		links: result.links.map((l) => ({
			url: l.url,
			clicks: Number(l.clicks),
			uniqueClickers: Number(l.uniqueClickers),
			views: Number(l.views),
			conversions: Number(l.conversions),
		})),
		breakdowns: {
			deviceType: keyed(result.breakdowns.deviceType),
			os: keyed(result.breakdowns.os),
			browser: keyed(result.breakdowns.browser),
			country: keyed(result.breakdowns.country),
			hourOfDay: numbered(result.breakdowns.hourOfDay),
			dayOfWeek: numbered(result.breakdowns.dayOfWeek),
			link: result.breakdowns.link,
			wave: waves.map((w) => ({
				key: w.wave,
				recipients: w.recipients,
				clicks: w.clicks,
				uniqueClickers: w.uniqueClickers,
				clickRate: w.ctr,
				conversions: w.conversions,
				uniqueConverters: w.uniqueConverters,
				conversionRate: w.conversionRate,
				revenue: w.revenue,
			})),
		},
		timelineBucket: result.timelineBucket,
		timeline: result.timeline.map((t) => ({
			bucket: new Date(t.bucket).toISOString(),
			clicks: Number(t.clicks),
			views: Number(t.views),
			conversions: Number(t.conversions),
		})),
		medianSecondsToFirstClick:
			result.medianSecondsToFirstClick === null ? null : Number(result.medianSecondsToFirstClick),
		otherCurrencies: result.otherCurrencies.map((c) => ({
			currency: c.currency,
			conversions: Number(c.conversions),
			revenue: Number(c.revenue),
		})),
		winner: campaign.winner,
	};
}
