import type { Queryable } from '../db';
import type { MetricsRow } from './metrics';
import type { RangePlan } from './range-slots';
import {
	knownRecipientsSql,
	knownWaveRecipientsSql,
	partialCellsSql,
	slotCellsSql,
} from './range-cells.sql';

/**
 * The per-recipient figures of a time range (totals, variants, waves, links, median time to the
 * first click), computed in memory from packed records instead of grouped in SQL.
 *
 * How unique counts stay exact: every fold batch writes, per 15-minute slot, wave, URL and
 * variant, one row of fixed-size records, one per recipient (migration 025), and the partial
 * slots at the range's ends give the same records from the events. A record names its recipient
 * by a number (`stats_recipients.ordinal`), so the records of the range are merged here by that
 * number: a recipient clicked in the range when any of their records has clicks, and counts once
 * however many slots, batches, URLs or waves their clicks fall in. This is a set of exact
 * recipients, never an estimate; it costs one pass over the range's records (about one per event
 * of the range, at a few nanoseconds each) instead of a SQL hash aggregate over as many rows.
 * Records of ordinal 0 are events without a recipient: they count in the links' clicks and views,
 * never as a recipient.
 *
 * The figures replicate the SQL of the whole-campaign answer (stats.sql.ts) to the letter, which
 * test/server/stats/ranges.test.ts checks against the raw events.
 */

const recordSize = 40;
const knownSize = 28;
const knownWaveSize = 20;
const sentFlag = 1;
const deliveredFlag = 2;
const failedFlag = 4;

/** What a recipient did in the range, in one wave (or in all, for the recipient's total). */
interface Activity {
	variant: string | null;
	views: number;
	clicks: number;
	conversions: number;
	/** In ten-thousandths, exact. */
	revenue: number;
	delivered: number;
	failed: number;
	/** ms since the epoch, Infinity without a click. */
	firstClick: number;
}

interface Cell extends Omit<Activity, 'variant'> {
	wave: string;
	url: string;
	variant: string;
	ordinal: number;
}

const emptyActivity = (): Activity => ({
	variant: null,
	views: 0,
	clicks: 0,
	conversions: 0,
	revenue: 0,
	delivered: 0,
	failed: 0,
	firstClick: Infinity,
});

/** PostgreSQL's max() over variants: nulls ignored. */
const maxVariant = (a: string | null, b: string | null) =>
	a === null ? b : b === null ? a : b > a ? b : a;

function add(into: Activity, cell: Omit<Cell, 'wave' | 'url' | 'ordinal'>) {
	into.variant = maxVariant(into.variant, cell.variant === '' ? null : cell.variant);
	into.views += cell.views;
	into.clicks += cell.clicks;
	into.conversions += cell.conversions;
	into.revenue += cell.revenue;
	into.delivered += cell.delivered;
	into.failed += cell.failed;
	if (cell.firstClick < into.firstClick) into.firstClick = cell.firstClick;
}

const int8 = (buf: Buffer, at: number) => buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);

interface UrlFigures {
	clicks: number;
	views: number;
	conversions: number;
	clickers: Set<number>;
}

/** The accumulated records of a range. */
class RangeActivity {
	/** wave → ordinal → activity in that wave ('' for events without a wave). */
	readonly byWave = new Map<string, Map<number, Activity>>();
	readonly byUrl = new Map<string, UrlFigures>();

	add(cell: Cell) {
		if (cell.url !== '') {
			let url = this.byUrl.get(cell.url);
			if (!url) this.byUrl.set(cell.url, (url = { clicks: 0, views: 0, conversions: 0, clickers: new Set() }));
			url.clicks += cell.clicks;
			url.views += cell.views;
			url.conversions += cell.conversions;
			if (cell.clicks > 0 && cell.ordinal !== 0) url.clickers.add(cell.ordinal);
		}
		if (cell.ordinal === 0) return;
		let wave = this.byWave.get(cell.wave);
		if (!wave) this.byWave.set(cell.wave, (wave = new Map()));
		let activity = wave.get(cell.ordinal);
		if (!activity) wave.set(cell.ordinal, (activity = emptyActivity()));
		add(activity, cell);
	}

	/** Each recipient's activity over every wave. */
	perRecipient(): Map<number, Activity> {
		const total = new Map<number, Activity>();
		for (const wave of this.byWave.values()) {
			for (const [ordinal, activity] of wave) {
				let sum = total.get(ordinal);
				if (!sum) total.set(ordinal, (sum = emptyActivity()));
				add(sum, { ...activity, variant: activity.variant ?? '' });
			}
		}
		return total;
	}
}

async function readCells(db: Queryable, campaignId: string, currency: string | null, plan: RangePlan) {
	const range = new RangeActivity();
	const { rows } = await db.query<{ wave: string; url: string; variant: string; slot_ms: number; cells: Buffer }>(
		slotCellsSql,
		[campaignId, ...plan.slots],
	);
	const cell: Cell = { ...emptyActivity(), wave: '', url: '', variant: '', ordinal: 0 };
	for (const row of rows) {
		cell.wave = row.wave;
		cell.url = row.url;
		cell.variant = row.variant;
		const slotMs = Number(row.slot_ms);
		const buf = row.cells;
		for (let at = 0; at + recordSize <= buf.length; at += recordSize) {
			cell.ordinal = int8(buf, at);
			cell.views = buf.readInt32BE(at + 8);
			cell.clicks = buf.readInt32BE(at + 12);
			cell.conversions = buf.readInt32BE(at + 16);
			cell.delivered = buf.readInt32BE(at + 20);
			cell.failed = buf.readInt32BE(at + 24);
			cell.revenue = int8(buf, at + 28);
			const firstClick = buf.readInt32BE(at + 36);
			cell.firstClick = firstClick < 0 ? Infinity : slotMs + firstClick / 1000;
			range.add(cell);
		}
	}
	const partials = await db.query<Record<string, string>>(partialCellsSql, [
		campaignId,
		...plan.partials[0],
		...plan.partials[1],
		currency,
	]);
	for (const row of partials.rows) {
		range.add({
			wave: row.wave,
			url: row.url,
			variant: row.variant,
			ordinal: Number(row.ordinal),
			views: Number(row.views),
			clicks: Number(row.clicks),
			conversions: Number(row.conversions),
			delivered: Number(row.delivered),
			failed: Number(row.failed),
			revenue: Number(row.revenue),
			firstClick: row.first_click_ms === null ? Infinity : Number(row.first_click_ms),
		});
	}
	return range;
}

/** The counts of one MetricsRow, added up recipient by recipient. */
class Counter {
	recipients = 0;
	sent = 0;
	delivered = 0;
	failed = 0;
	views = 0;
	uniqueViewers = 0;
	clicks = 0;
	uniqueClickers = 0;
	conversions = 0;
	uniqueConverters = 0;
	convertedClickers = 0;
	revenue = 0;
	segments = 0;

	/** One recipient; `sent`, `delivered`, `failed` already combine what messages and events say. */
	add(sent: boolean, delivered: boolean, failed: boolean, segments: number, e: Activity | undefined) {
		this.recipients += 1;
		if (sent) this.sent += 1;
		if (delivered) this.delivered += 1;
		if (failed) this.failed += 1;
		this.segments += segments;
		if (e) this.addEvents(e);
	}

	addEvents(e: Activity) {
		this.views += e.views;
		this.clicks += e.clicks;
		this.conversions += e.conversions;
		this.revenue += e.revenue;
		if (e.views > 0) this.uniqueViewers += 1;
		if (e.clicks > 0) this.uniqueClickers += 1;
		if (e.conversions > 0) this.uniqueConverters += 1;
		if (e.conversions > 0 && e.clicks > 0) this.convertedClickers += 1;
	}

	row(total: boolean, variant: string | null): MetricsRow {
		return {
			total,
			variant,
			recipients: this.recipients,
			sent: this.sent,
			delivered: this.delivered,
			failed: this.failed,
			views: this.views,
			uniqueViewers: this.uniqueViewers,
			clicks: this.clicks,
			uniqueClickers: this.uniqueClickers,
			conversions: this.conversions,
			uniqueConverters: this.uniqueConverters,
			convertedClickers: this.convertedClickers,
			revenue: this.revenue / 10_000,
			segments: this.segments,
		};
	}
}

/** percentile_cont(0.5): the middle value, or the mean of the two middle ones. */
function median(values: number[]): number | null {
	if (values.length === 0) return null;
	values.sort((a, b) => a - b);
	const mid = (values.length - 1) / 2;
	const low = values[Math.floor(mid)];
	return low + (values[Math.ceil(mid)] - low) * (mid % 1);
}

export interface RangeFigures {
	metrics: MetricsRow[];
	waves: Array<MetricsRow & { wave: string }>;
	medianSecondsToFirstClick: number | null;
	links: Array<{ url: string; clicks: number; uniqueClickers: number; views: number; conversions: number }>;
}

/** Totals, variants, waves, links and the median wait for the first click of a range of every wave. */
export async function rangeFigures(
	db: Queryable,
	campaignId: string,
	currency: string | null,
	plan: RangePlan,
	urls: string[],
): Promise<RangeFigures> {
	const range = await readCells(db, campaignId, currency, plan);
	const events = range.perRecipient();

	// Every recipient the links and messages know, with their events in the range; then those
	// known only from their events in the range.
	const total = new Counter();
	const variants = new Map<string | null, Counter>();
	const counter = (variant: string | null) => {
		let c = variants.get(variant);
		if (!c) variants.set(variant, (c = new Counter()));
		return c;
	};
	const waits: number[] = [];
	const known = await db.query<{ variant: string | null; records: Buffer }>(knownRecipientsSql, [campaignId]);
	const seen = new Set<number>();
	for (const row of known.rows) {
		const buf = row.records;
		for (let at = 0; at + knownSize <= buf.length; at += knownSize) {
			const ordinal = int8(buf, at);
			const flags = buf.readInt32BE(at + 8);
			const segments = int8(buf, at + 12);
			const sentAt = buf.readDoubleBE(at + 20);
			const e = events.get(ordinal);
			if (e) seen.add(ordinal);
			const delivered = (flags & deliveredFlag) !== 0 || (e?.delivered ?? 0) > 0;
			const failed = ((flags & failedFlag) !== 0 || (e?.failed ?? 0) > 0) && !delivered;
			const variant = row.variant ?? e?.variant ?? null;
			for (const c of [total, counter(variant)]) c.add((flags & sentFlag) !== 0, delivered, failed, segments, e);
			if (e && e.firstClick !== Infinity && !Number.isNaN(sentAt))
				waits.push(Math.max(0, (e.firstClick - sentAt) / 1000));
		}
	}
	for (const [ordinal, e] of events) {
		if (seen.has(ordinal)) continue;
		const delivered = e.delivered > 0;
		for (const c of [total, counter(e.variant)]) c.add(false, delivered, e.failed > 0 && !delivered, 0, e);
	}
	const metrics = [total.row(true, null), ...[...variants].map(([v, c]) => c.row(false, v))];

	// Each wave: what its links and messages say, corrected by its recipients' events in the range.
	const waveKnown = await db.query<{ wave: string; first_seen: Date; records: Buffer }>(knownWaveRecipientsSql, [
		campaignId,
	]);
	const waves: RangeFigures['waves'] = [];
	const firstSeen = new Map<string, number>();
	for (const row of waveKnown.rows) {
		const c = new Counter();
		const activity = range.byWave.get(row.wave) ?? new Map<number, Activity>();
		const mine = new Set<number>();
		const buf = row.records;
		for (let at = 0; at + knownWaveSize <= buf.length; at += knownWaveSize) {
			const ordinal = int8(buf, at);
			const flags = buf.readInt32BE(at + 8);
			const e = activity.get(ordinal);
			if (e) mine.add(ordinal);
			const delivered = (flags & deliveredFlag) !== 0 || (e?.delivered ?? 0) > 0;
			const failed = ((flags & failedFlag) !== 0 || (e?.failed ?? 0) > 0) && !delivered;
			c.add((flags & sentFlag) !== 0, delivered, failed, int8(buf, at + 12), e);
		}
		for (const [ordinal, e] of activity) {
			if (mine.has(ordinal)) continue;
			const delivered = e.delivered > 0;
			c.add(false, delivered, e.failed > 0 && !delivered, 0, e);
		}
		firstSeen.set(row.wave, new Date(row.first_seen).getTime());
		waves.push({ ...c.row(false, null), wave: row.wave });
	}
	// waves only events name (no link or message of theirs is stored)
	for (const [wave, activity] of range.byWave) {
		if (wave === '' || firstSeen.has(wave)) continue;
		const c = new Counter();
		for (const e of activity.values()) {
			const delivered = e.delivered > 0;
			c.add(false, delivered, e.failed > 0 && !delivered, 0, e);
		}
		waves.push({ ...c.row(false, null), wave });
	}
	waves.sort(
		(a, b) =>
			(firstSeen.get(a.wave) ?? Infinity) - (firstSeen.get(b.wave) ?? Infinity) ||
			(a.wave < b.wave ? -1 : a.wave > b.wave ? 1 : 0),
	);

	const links = [...new Set([...urls, ...range.byUrl.keys()])].map((url) => {
		const u = range.byUrl.get(url);
		return {
			url,
			clicks: u?.clicks ?? 0,
			uniqueClickers: u?.clickers.size ?? 0,
			views: u?.views ?? 0,
			conversions: u?.conversions ?? 0,
		};
	});
	links.sort(
		(a, b) => b.clicks - a.clicks || b.views - a.views || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0),
	);

	return { metrics, waves, medianSecondsToFirstClick: median(waits), links };
}
