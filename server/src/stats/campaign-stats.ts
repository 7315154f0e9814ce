import type { Database } from '../db';
import type { Campaign } from '../campaigns/types';
import { holdoutVariant } from '../campaigns/types';
import { toMetrics, type Metrics, type MetricsRow } from './metrics';
import type { StatsQuery } from './schemas';
import { foldCampaign } from './rollup-folder';
import { eventsOnlyPlan, planRange, slotMs } from './range-slots';
import { statsForRangeSql, statsFromRollupsSql } from './stats.sql';

export interface BreakdownRow {
	key: string;
	clicks: number;
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
		hourOfDay: Array<{ key: number; clicks: number }>;
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
	breakdowns: Record<string, Array<{ key: string | null; clicks: number }>>;
	timelineBucket: CampaignStats['timelineBucket'];
	timeline: Array<{ bucket: string; clicks: number; views: number; conversions: number }>;
	otherCurrencies: CampaignStats['otherCurrencies'];
}

/**
 * Rows of a whole campaign (or a time range of its events) are aggregated in memory by hash: give
 * the statement room so that a campaign with a few hundred thousand recipients does not spill.
 */
const statementSettings = "SET LOCAL work_mem = '64MB'";

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

export async function campaignStats(
	db: Database,
	campaign: Campaign,
	query: StatsQuery,
): Promise<CampaignStats> {
	// Events not yet folded by the background folder are folded now: the answer is exact.
	await foldCampaign(db, campaign.id);
	const wave = query.wave ?? null;
	const whole =
		wave === null &&
		((!query.from && !query.to) || (await coversWholeCampaign(db, campaign.id, query)));
	const result = await db.withTransaction(async (tx) => {
		await tx.query(statementSettings);
		// One wave is read from its events: the slotted click breakdowns do not keep waves apart.
		const plan =
			wave === null ? planRange(query.from, query.to) : eventsOnlyPlan(query.from, query.to);
		const { rows } = await tx.query<{ result: StatsResult }>(
			whole ? statsFromRollupsSql : statsForRangeSql,
			whole
				? [campaign.id, null, null, query.timeZone, campaign.currency]
				: [
						campaign.id,
						...plan.partials[0],
						query.timeZone,
						campaign.currency,
						...plan.partials[1],
						...plan.slots,
						wave,
					],
		);
		return rows[0].result;
	});

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

	const breakdown = (dim: string) =>
		(result.breakdowns[dim] ?? []).map((row) => ({
			key: row.key ?? 'unknown',
			clicks: Number(row.clicks),
		}));
	const clicksByHour = new Map(
		(result.breakdowns.hourOfDay ?? []).map((row) => [Number(row.key), Number(row.clicks)]),
	);
	const hourOfDay = Array.from({ length: 24 }, (_, hour) => ({
		key: hour,
		clicks: clicksByHour.get(hour) ?? 0,
	}));

	return {
		campaignId: campaign.id,
		currency: campaign.currency,
		from: query.from?.toISOString() ?? null,
		to: query.to?.toISOString() ?? null,
		timeZone: query.timeZone,
		wave,
		totals: toMetrics(totalRow, campaign.costPerSegment),
		variants,
		waves: (result.waves ?? []).map((w) => ({
			wave: w.wave,
			...toMetrics(w, campaign.costPerSegment),
		})),
		links: result.links.map((l) => ({
			url: l.url,
			clicks: Number(l.clicks),
			uniqueClickers: Number(l.uniqueClickers),
			views: Number(l.views),
			conversions: Number(l.conversions),
		})),
		breakdowns: {
			deviceType: breakdown('deviceType'),
			os: breakdown('os'),
			browser: breakdown('browser'),
			country: breakdown('country'),
			hourOfDay,
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
