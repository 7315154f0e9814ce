import type { Queryable, Transaction } from '../db';
import type { MetricsRow } from './metrics';
import { Activity, emptyCell, type Cell } from './range-activity';
import {
	breakdownDimensions,
	breakdownFigures,
	breakdowns,
	type BreakdownFigures,
	type BreakdownName,
	type BreakdownRow,
} from './range-breakdowns';
import type { RangePlan } from './range-slots';
import {
	dimensionValuesSql,
	knownRecipientsSql,
	knownWaveRecipientsSql,
	ordinalBoundsSql,
	partialCellsSql,
	slotCellsSql,
} from './range-cells.sql';

/**
 * The per-recipient figures of a time range (totals, variants, waves, links, breakdowns with
 * rates, median time to the first click), computed in memory from packed records instead of
 * grouped in SQL.
 *
 * How unique counts stay exact: every fold batch writes, per 15-minute slot, one row of
 * fixed-size records, one per recipient (and link, wave, variant, device type, OS, browser and
 * country), migration 025; the partial slots at the range's ends give the same records from the
 * events. A record names its recipient by a number (`stats_recipients.ordinal`), and every
 * recipient of the campaign gets a place (an index) in the per-recipient blocks of
 * range-activity.ts and range-breakdowns.ts, so the records of the range are merged here by
 * recipient: a recipient clicked in the range when any of their records has clicks, and counts
 * once however many slots, batches, URLs or waves their clicks fall in (a flag per recipient and
 * figure, counted when it turns on). A set of exact recipients, never an estimate; it costs one
 * pass over the range's records (about one per event of the range) instead of a SQL hash
 * aggregate over as many rows. Records of ordinal 0 are
 * events without a recipient: they count in clicks per link and in the breakdowns' clicks,
 * never as a recipient.
 *
 * The figures replicate the SQL of the whole-campaign answer (stats.sql.ts) to the letter, which
 * test/server/stats/ranges.test.ts checks against the raw events.
 */

const recordSize = 68;
const knownSize = 28;
const knownWaveSize = 20;
const sentFlag = 1;
const deliveredFlag = 2;
const failedFlag = 4;

/** Where each recipient's figures go: an index per recipient number. */
interface Places {
	/** The index of a recipient number, -1 for none. */
	indexOf: (ordinal: number) => number;
	size: number;
}

/** The campaign's recipients as links and messages know them, the k-th of each array is one. */
interface Known {
	size: number;
	ordinals: Float64Array;
	flags: Int32Array;
	segments: Float64Array;
	sentAt: Float64Array;
	variant: Array<string | null>;
}

const view = (buf: Buffer) => new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
const int8At = (v: DataView, at: number) => v.getInt32(at) * 4294967296 + v.getUint32(at + 4);

/**
 * Whether `count` recipient numbers from `low` to `high` are close enough for arrays indexed by
 * number: a table of indexes (4 bytes a number) bears wide gaps; the per-recipient figures of a
 * range (about 200 bytes a place, over its waves and breakdowns) only narrow ones.
 */
const close = (low: number, high: number, count: number) => high - low < 4 * count + 1_000_000;
const dense = (low: number, high: number, count: number) => high - low < 2 * count + 100_000;

/**
 * Places by the recipient number less the campaign's lowest, without reading who the recipients
 * are; null when the numbers are too spread for that (then placesOfKnown).
 */
async function placesByNumber(db: Queryable, campaignId: string): Promise<Places | null> {
	const { rows } = await db.query<{ low: string | null; high: string | null; count: string }>(
		ordinalBoundsSql,
		[campaignId],
	);
	const low = Number(rows[0]?.low ?? 1);
	const high = Number(rows[0]?.high ?? 0);
	const size = Math.max(0, high - low + 1);
	if (size > 0 && !dense(low, high, Number(rows[0].count))) return null;
	return { size, indexOf: (o) => (o >= low && o <= high ? o - low : -1) };
}

/** Who the recipients are: what links and messages say about each, by variant. */
async function readKnown(db: Transaction, campaignId: string): Promise<Known> {
	const rows: Array<{ variant: string | null; records: Buffer }> = [];
	await db.copyRows(knownRecipientsSql, [campaignId], (row) =>
		rows.push({ variant: row[0]?.toString() ?? null, records: Buffer.from(row[1]!) }),
	);
	const size = rows.reduce((n, r) => n + r.records.length / knownSize, 0);
	const known: Known = {
		size,
		ordinals: new Float64Array(size),
		flags: new Int32Array(size),
		segments: new Float64Array(size),
		sentAt: new Float64Array(size),
		variant: new Array<string | null>(size),
	};
	let i = 0;
	for (const row of rows) {
		const v = view(row.records);
		for (let at = 0; at + knownSize <= v.byteLength; at += knownSize, i++) {
			known.ordinals[i] = int8At(v, at);
			known.flags[i] = v.getInt32(at + 8);
			known.segments[i] = int8At(v, at + 12);
			known.sentAt[i] = v.getFloat64(at + 20);
			known.variant[i] = row.variant;
		}
	}
	return known;
}

/** Places when the numbers are too spread to place by number: each known recipient at its k. */
function placesOfKnown(known: Known): Places {
	const { size, ordinals } = known;
	let low = Infinity;
	let high = -Infinity;
	for (let k = 0; k < size; k++) {
		if (ordinals[k] < low) low = ordinals[k];
		if (ordinals[k] > high) high = ordinals[k];
	}
	// Recipient numbers come from one sequence: a campaign's are mostly close together, so an
	// array from the lowest to the highest finds an index at once (a Map when they are too spread).
	if (size > 0 && close(low, high, size)) {
		const table = new Int32Array(high - low + 1).fill(-1);
		for (let k = 0; k < size; k++) table[ordinals[k] - low] = k;
		return { size, indexOf: (o) => (o >= low && o <= high ? table[o - low] : -1) };
	}
	const map = new Map<number, number>();
	for (let k = 0; k < size; k++) map.set(ordinals[k], k);
	return { size, indexOf: (o) => map.get(o) ?? -1 };
}

/** Every record of the range, merged per wave and per breakdown value (links are rows too). */
class RangeRecords {
	readonly byWave = new Map<string, Activity>();
	/** Clicks and views of events without a recipient (Do-Not-Track anonymous): in the totals only. */
	readonly anonymous = { clicks: 0, views: 0 };
	readonly breakdowns: ReturnType<typeof breakdowns>;

	constructor(private readonly size: number) {
		this.breakdowns = breakdowns(size);
	}

	wave(wave: string): Activity {
		let activity = this.byWave.get(wave);
		if (!activity) this.byWave.set(wave, (activity = new Activity(this.size)));
		return activity;
	}
}

/** Merges records into a RangeRecords whose recipients are placed by `places`. */
function recordMerger(
	places: Places,
	names: string[],
	onlyWave: string | null,
	breakdownsOnly: boolean,
) {
	const range = new RangeRecords(places.size);
	const b = range.breakdowns;
	// the breakdown rows of each dimension, by value number (found once per number)
	const rowsById = breakdownDimensions.map(() => [] as BreakdownRow[]);
	const dimensionRow = (d: number, id: number) =>
		(rowsById[d][id] ??= b[breakdownDimensions[d]].row(names[id] ?? ''));

	/** A link's breakdown row (also its figures in `links`); null for events without a link. */
	const linkRow = (url: string) => (url === '' ? null : b.link.row(url));
	const linksById: Array<BreakdownRow | null> = [];
	const linkById = (id: number) => {
		let row = linksById[id];
		if (row === undefined) row = linksById[id] = linkRow(names[id] ?? '');
		return row;
	};
	const wavesById: Activity[] = [];

	const addCell = (
		c: Cell,
		time: BreakdownRow[],
		link: BreakdownRow | null,
		wave: Activity | null,
		dims: BreakdownRow[],
	) => {
		link?.add(c);
		// a wave is made by the first record with a recipient (anonymous events make none)
		if (c.index >= 0) wave?.add(c);
		else {
			range.anonymous.clicks += c.clicks;
			range.anonymous.views += c.views;
		}
		for (let r = 0; r < time.length; r++) time[r].add(c);
		for (let d = 0; d < dims.length; d++) dims[d].add(c);
	};
	const timeRows = (hour: number, dow: number) => [
		b.hourOfDay.row(String(hour)),
		b.dayOfWeek.row(String(dow)),
	];

	const c = emptyCell();
	const dims: BreakdownRow[] = [];
	return {
		range,
		/** One row of stats_slot_cells: its slot's start, local hour and day, and its records. */
		slotRow(slotMs: number, hour: number, dow: number, cells: Buffer) {
			const time = timeRows(hour, dow);
			const v = view(cells);
			for (let at = 0; at + recordSize <= v.byteLength; at += recordSize) {
				const waveId = v.getInt32(at + 60);
				if (onlyWave !== null && (names[waveId] ?? '') !== onlyWave) continue;
				const ordinal = int8At(v, at);
				c.index = ordinal === 0 ? -1 : places.indexOf(ordinal);
				c.views = v.getInt32(at + 8);
				c.clicks = v.getInt32(at + 12);
				c.conversions = v.getInt32(at + 16);
				c.delivered = v.getInt32(at + 20);
				c.failed = v.getInt32(at + 24);
				c.revenue = int8At(v, at + 28);
				const firstClick = v.getInt32(at + 36);
				c.firstClick = firstClick < 0 ? Infinity : slotMs + firstClick / 1000;
				c.variant = names[v.getInt32(at + 64)] ?? '';
				for (let d = 0; d < 4; d++) dims[d] = dimensionRow(d, v.getInt32(at + 40 + 4 * d));
				const wave = breakdownsOnly ? null : (wavesById[waveId] ??= range.wave(names[waveId] ?? ''));
				addCell(c, time, linkById(v.getInt32(at + 56)), wave, dims);
			}
		},
		/** One record of partialCellsSql. */
		partialRow(row: Record<string, string | null>) {
			if (onlyWave !== null && row.wave !== onlyWave) return;
			const ordinal = Number(row.ordinal);
			addCell(
				{
					index: ordinal === 0 ? -1 : places.indexOf(ordinal),
					variant: row.variant ?? '',
					views: Number(row.views),
					clicks: Number(row.clicks),
					conversions: Number(row.conversions),
					delivered: Number(row.delivered),
					failed: Number(row.failed),
					revenue: Number(row.revenue),
					firstClick: row.first_click_ms === null ? Infinity : Number(row.first_click_ms),
				},
				timeRows(Number(row.hour), Number(row.dow)),
				linkRow(row.url ?? ''),
				breakdownsOnly ? null : range.wave(row.wave ?? ''),
				[row.device_type, row.os, row.browser, row.country].map((key, d) =>
					b[breakdownDimensions[d]].row(key ?? ''),
				),
			);
		},
	};
}

/**
 * Every record of the range, merged. With `breakdownsOnly`, only the breakdowns are made (the
 * whole campaign's answer takes the rest from its rollups): no figures per wave or link. The
 * records stream in while `places` may still be read on another connection: rows that come
 * before it are kept (copied) and merged once it is there, later ones as they arrive.
 */
async function readRecords(
	db: Transaction,
	campaignId: string,
	currency: string | null,
	timeZone: string,
	plan: RangePlan,
	places: Promise<Places>,
	onlyWave: string | null,
	breakdownsOnly: boolean,
): Promise<RangeRecords> {
	const names: string[] = [''];
	const dimension = await db.query<{ id: number; key: string }>(dimensionValuesSql);
	for (const v of dimension.rows) names[v.id] = v.key;

	let merger: ReturnType<typeof recordMerger> | null = null;
	const ready = places.then((p) => {
		merger = recordMerger(p, names, onlyWave, breakdownsOnly);
		return merger;
	});
	ready.catch(() => undefined); // awaited below: no unhandled rejection meanwhile
	const early: Array<[number, number, number, Buffer]> = [];
	try {
		await db.copyRows(slotCellsSql, [campaignId, ...plan.slots, timeZone], (row) => {
			const slotMs = (row[0] as Buffer).readDoubleBE(0);
			const hour = (row[1] as Buffer).readInt32BE(0);
			const dow = (row[2] as Buffer).readInt32BE(0);
			// the row's bytes are only valid during this call
			if (merger) merger.slotRow(slotMs, hour, dow, row[3] as Buffer);
			else early.push([slotMs, hour, dow, Buffer.from(row[3] as Buffer)]);
		});
	} catch (err) {
		await ready.catch(() => undefined); // the transaction must outlive what reads the places
		throw err;
	}
	const merge = await ready;
	for (const [slotMs, hour, dow, cells] of early) merge.slotRow(slotMs, hour, dow, cells);
	early.length = 0;

	const partials = await db.query<Record<string, string | null>>(partialCellsSql, [
		campaignId,
		...plan.partials[0],
		...plan.partials[1],
		currency,
		timeZone,
	]);
	for (const row of partials.rows) merge.partialRow(row);
	return merge.range;
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

	/**
	 * One recipient: what messages say (`flags`, 0 when none) and their events in the range (in
	 * `a` at `i`, when present); delivered wins over failed, as in the SQL.
	 */
	add(flags: number, segments: number, a: Activity | null, i: number) {
		const withEvents = a !== null && a.present(i);
		const delivered = (flags & deliveredFlag) !== 0 || (withEvents && a.delivered(i) > 0);
		const failed = ((flags & failedFlag) !== 0 || (withEvents && a.failed(i) > 0)) && !delivered;
		this.recipients += 1;
		if (flags & sentFlag) this.sent += 1;
		if (delivered) this.delivered += 1;
		if (failed) this.failed += 1;
		this.segments += segments;
		if (!withEvents) return;
		const clicks = a.clicks(i);
		const conversions = a.conversions(i);
		this.views += a.views(i);
		this.clicks += clicks;
		this.conversions += conversions;
		this.revenue += a.revenue(i);
		if (a.views(i) > 0) this.uniqueViewers += 1;
		if (clicks > 0) this.uniqueClickers += 1;
		if (conversions > 0) this.uniqueConverters += 1;
		if (conversions > 0 && clicks > 0) this.convertedClickers += 1;
	}

	/** Adds another counter's recipients (a set apart from this one's). */
	addAll(o: Counter) {
		this.recipients += o.recipients;
		this.sent += o.sent;
		this.delivered += o.delivered;
		this.failed += o.failed;
		this.views += o.views;
		this.uniqueViewers += o.uniqueViewers;
		this.clicks += o.clicks;
		this.uniqueClickers += o.uniqueClickers;
		this.conversions += o.conversions;
		this.uniqueConverters += o.uniqueConverters;
		this.convertedClickers += o.convertedClickers;
		this.revenue += o.revenue;
		this.segments += o.segments;
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
			revenue: Math.round(this.revenue) / 10_000,
			segments: this.segments,
		};
	}
}

/** percentile_cont(0.5): the middle value, or the mean of the two middle ones. */
function median(values: Float64Array): number | null {
	if (values.length === 0) return null;
	values.sort();
	const mid = (values.length - 1) / 2;
	const low = values[Math.floor(mid)];
	return low + (values[Math.ceil(mid)] - low) * (mid % 1);
}

/** Every recipient's events over all waves (the recipient's total). */
function overAllWaves(range: RangeRecords, size: number): Activity {
	const all = new Activity(size);
	const c = emptyCell();
	for (const a of range.byWave.values()) {
		for (let i = 0; i < size; i++) if (a.present(i)) all.add(a.cell(i, c));
	}
	return all;
}

export interface RangeFigures {
	metrics: MetricsRow[];
	waves: Array<MetricsRow & { wave: string }>;
	medianSecondsToFirstClick: number | null;
	links: Array<{
		url: string;
		clicks: number;
		uniqueClickers: number;
		views: number;
		conversions: number;
	}>;
	breakdowns: Record<BreakdownName, BreakdownFigures[]>;
}

/**
 * Totals, variants, waves, links, breakdowns and the median wait for the first click of a range
 * (of one wave's records when `onlyWave` is given: then only the breakdowns are that wave's).
 */
export async function rangeFigures(
	db: Transaction,
	campaignId: string,
	currency: string | null,
	timeZone: string,
	plan: RangePlan,
	urls: string[],
	onlyWave: string | null = null,
): Promise<RangeFigures> {
	// the waves' recipients are read on a second connection (same snapshot) meanwhile
	const waveKnown = db.alongside(async (other) => {
		const rows: Array<{ wave: string; firstSeen: number; records: Buffer }> = [];
		await other.copyRows(knownWaveRecipientsSql, [campaignId], (row) =>
			rows.push({
				wave: row[0]!.toString(),
				firstSeen: row[1]!.readDoubleBE(0),
				records: Buffer.from(row[2]!),
			}),
		);
		return rows;
	});
	// and on a third the campaign's lowest and highest recipient number, then who the recipients
	// are, while the records stream in here. Placed by number, the records are merged as they
	// arrive; when the numbers are too spread for that, they wait for who the recipients are.
	let settleBounds!: (bounds: Promise<Places | null>) => void;
	const bounds = new Promise<Places | null>((resolve) => (settleBounds = resolve));
	const knownRead = db.alongside(async (other) => {
		const byNumber = placesByNumber(other, campaignId);
		settleBounds(byNumber);
		await byNumber;
		return readKnown(other, campaignId);
	});
	knownRead.catch((err) => settleBounds(Promise.reject(err))); // when it failed before
	// all are awaited below (no unhandled rejection meanwhile)
	waveKnown.catch(() => undefined);
	bounds.catch(() => undefined);
	let known: Known;
	let places: Places;
	let range: RangeRecords;
	try {
		const placed = bounds.then((byNumber) => byNumber ?? knownRead.then(placesOfKnown));
		range = await readRecords(db, campaignId, currency, timeZone, plan, placed, onlyWave, false);
		known = await knownRead;
		places = await placed;
	} catch (err) {
		// this transaction must outlive them
		await Promise.all([waveKnown.catch(() => undefined), knownRead.catch(() => undefined)]);
		throw err;
	}
	const all = overAllWaves(range, places.size);

	// Every recipient of the campaign (the fold gives each recipient of an event a row, so the
	// records name no one else), with their events in the range at their place.
	const variants = new Map<string | null, Counter>();
	const waits: number[] = [];
	for (let k = 0; k < known.size; k++) {
		const i = places.indexOf(known.ordinals[k]);
		const variant = known.variant[k] ?? all.variant(i);
		let counter = variants.get(variant);
		if (!counter) variants.set(variant, (counter = new Counter()));
		counter.add(known.flags[k], known.segments[k], all, i);
		const firstClick = all.firstClick(i);
		if (firstClick !== Infinity && !Number.isNaN(known.sentAt[k]))
			waits.push(Math.max(0, (firstClick - known.sentAt[k]) / 1000));
	}
	// every recipient is in one variant (or none, null): the totals are the variants' sums
	const total = new Counter();
	for (const counter of variants.values()) total.addAll(counter);
	total.clicks += range.anonymous.clicks;
	total.views += range.anonymous.views;
	const metrics = [total.row(true, null), ...[...variants].map(([v, c]) => c.row(false, v))];

	// Each wave: what its links and messages say, with its recipients' events in the range.
	const waves: RangeFigures['waves'] = [];
	const firstSeen = new Map<string, number>();
	for (const row of await waveKnown) {
		const counter = new Counter();
		const activity = range.byWave.get(row.wave) ?? null;
		const mine = new Uint8Array(places.size);
		const v = view(row.records);
		for (let at = 0; at + knownWaveSize <= v.byteLength; at += knownWaveSize) {
			const i = places.indexOf(int8At(v, at));
			if (i < 0) continue;
			mine[i] = 1;
			counter.add(v.getInt32(at + 8), int8At(v, at + 12), activity, i);
		}
		// recipients the wave's links and messages do not know, with events of the wave
		if (activity)
			for (let i = 0; i < places.size; i++)
				if (activity.present(i) && !mine[i]) counter.add(0, 0, activity, i);
		firstSeen.set(row.wave, row.firstSeen);
		waves.push({ ...counter.row(false, null), wave: row.wave });
	}
	for (const [wave, activity] of range.byWave) {
		if (wave === '' || firstSeen.has(wave)) continue;
		const counter = new Counter();
		for (let i = 0; i < places.size; i++) if (activity.present(i)) counter.add(0, 0, activity, i);
		waves.push({ ...counter.row(false, null), wave });
	}
	waves.sort(
		(a, b) =>
			(firstSeen.get(a.wave) ?? Infinity) - (firstSeen.get(b.wave) ?? Infinity) ||
			byName(a.wave, b.wave),
	);

	// a link's row counts its clicks, views, conversions and (flagged per recipient) its clickers
	const linkRows = range.breakdowns.link.rows;
	const links = [...new Set([...urls, ...linkRows.keys()])].map((url) => {
		const u = linkRows.get(url);
		return {
			url,
			clicks: u?.clicks ?? 0,
			uniqueClickers: u?.uniqueClickers ?? 0,
			views: u?.views ?? 0,
			conversions: u?.conversions ?? 0,
		};
	});
	links.sort((a, b) => b.clicks - a.clicks || b.views - a.views || byName(a.url, b.url));

	return {
		metrics,
		waves,
		medianSecondsToFirstClick: median(Float64Array.from(waits)),
		links,
		breakdowns: breakdownFigures(range.breakdowns),
	};
}

/**
 * The breakdowns alone of a range (of one wave's records when `onlyWave` is given): what the
 * whole campaign's answer needs beside its rollups. Their recipients are placed by number, so
 * who they are is not read.
 */
export async function rangeBreakdowns(
	db: Transaction,
	campaignId: string,
	currency: string | null,
	timeZone: string,
	plan: RangePlan,
	onlyWave: string | null = null,
): Promise<RangeFigures['breakdowns']> {
	const places =
		(await placesByNumber(db, campaignId)) ?? placesOfKnown(await readKnown(db, campaignId));
	const range = await readRecords(
		db,
		campaignId,
		currency,
		timeZone,
		plan,
		Promise.resolve(places),
		onlyWave,
		true,
	);
	return breakdownFigures(range.breakdowns);
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
