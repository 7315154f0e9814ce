import type { Cell } from './range-activity';

export interface BreakdownFigures {
	key: string;
	/** Recipients with a click, view or conversion of this value in the range. */
	recipients: number;
	clicks: number;
	uniqueClickers: number;
	/** uniqueClickers / recipients. */
	clickRate: number | null;
	conversions: number;
	uniqueConverters: number;
	/** uniqueConverters / recipients. */
	conversionRate: number | null;
	revenue: number;
}

export const breakdownDimensions = ['deviceType', 'os', 'browser', 'country'] as const;
export type Dimension = (typeof breakdownDimensions)[number];
export type BreakdownName = Dimension | 'hourOfDay' | 'dayOfWeek' | 'link';

const reachedFlag = 1;
const clickerFlag = 2;
const converterFlag = 4;

/**
 * What each recipient did per breakdown row (reached, clicked, converted): a byte per row, the
 * rows of one recipient side by side, so that the seven rows a record touches share a cache line
 * or two. The block widens (doubling) when more rows appear than it has room for.
 */
class RecipientFlags {
	stride = 64;
	bytes: Uint8Array;
	private columns = 0;

	constructor(private readonly size: number) {
		this.bytes = new Uint8Array(size * this.stride);
	}

	column(): number {
		if (this.columns === this.stride) {
			const stride = this.stride * 2;
			const bytes = new Uint8Array(this.size * stride);
			for (let i = 0; i < this.size; i++)
				bytes.set(this.bytes.subarray(i * this.stride, (i + 1) * this.stride), i * stride);
			this.bytes = bytes;
			this.stride = stride;
		}
		return this.columns++;
	}
}

/** One row of a breakdown: sums, and its flag per recipient for the unique counts. */
export class BreakdownRow {
	clicks = 0;
	views = 0;
	conversions = 0;
	revenue = 0;
	recipients = 0;
	uniqueClickers = 0;
	uniqueConverters = 0;

	constructor(
		readonly key: string,
		private readonly flags: RecipientFlags,
		private readonly column: number,
	) {}

	add(c: Cell) {
		this.clicks += c.clicks;
		this.views += c.views;
		this.conversions += c.conversions;
		this.revenue += c.revenue;
		if (c.index < 0 || c.views + c.clicks + c.conversions === 0) return;
		const at = c.index * this.flags.stride + this.column;
		const was = this.flags.bytes[at];
		const now =
			was |
			reachedFlag |
			(c.clicks > 0 ? clickerFlag : 0) |
			(c.conversions > 0 ? converterFlag : 0);
		if (now === was) return;
		this.flags.bytes[at] = now;
		const added = now & ~was;
		if (added & reachedFlag) this.recipients += 1;
		if (added & clickerFlag) this.uniqueClickers += 1;
		if (added & converterFlag) this.uniqueConverters += 1;
	}

	figures(): BreakdownFigures {
		return {
			key: this.key,
			recipients: this.recipients,
			clicks: this.clicks,
			uniqueClickers: this.uniqueClickers,
			clickRate: this.recipients > 0 ? this.uniqueClickers / this.recipients : null,
			conversions: this.conversions,
			uniqueConverters: this.uniqueConverters,
			conversionRate: this.recipients > 0 ? this.uniqueConverters / this.recipients : null,
			revenue: Math.round(this.revenue) / 10_000,
		};
	}
}

const emptyFigures = (key: string): BreakdownFigures => ({
	key,
	recipients: 0,
	clicks: 0,
	uniqueClickers: 0,
	clickRate: null,
	conversions: 0,
	uniqueConverters: 0,
	conversionRate: null,
	revenue: 0,
});

/** The rows of one breakdown, by key. */
export class Breakdown {
	readonly rows = new Map<string, BreakdownRow>();
	constructor(private readonly flags: RecipientFlags) {}
	row(key: string): BreakdownRow {
		let row = this.rows.get(key);
		if (!row) this.rows.set(key, (row = new BreakdownRow(key, this.flags, this.flags.column())));
		return row;
	}
}

/** Every breakdown of a range, their rows sharing one block of flags per recipient. */
export function breakdowns(size: number): Record<BreakdownName, Breakdown> {
	const flags = new RecipientFlags(size);
	const b = () => new Breakdown(flags);
	return {
		deviceType: b(),
		os: b(),
		browser: b(),
		country: b(),
		hourOfDay: b(),
		dayOfWeek: b(),
		link: b(),
	};
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The answer's rows: sorted by clicks; every hour and day, the other rows only when not empty. */
export function breakdownFigures(
	all: Record<BreakdownName, Breakdown>,
): Record<BreakdownName, BreakdownFigures[]> {
	const rowsOf = (name: BreakdownName) =>
		[...all[name].rows.values()]
			.map((r) => r.figures())
			.filter((r) => r.clicks + r.conversions + r.recipients > 0);
	const byClicks = (rows: BreakdownFigures[]) =>
		rows.sort((a, b) => b.clicks - a.clicks || b.recipients - a.recipients || byName(a.key, b.key));
	const everyKey = (name: 'hourOfDay' | 'dayOfWeek', keys: number[]) => {
		const got = new Map(rowsOf(name).map((r) => [r.key, r]));
		return keys.map((k) => got.get(String(k)) ?? emptyFigures(String(k)));
	};
	return {
		deviceType: byClicks(rowsOf('deviceType')),
		os: byClicks(rowsOf('os')),
		browser: byClicks(rowsOf('browser')),
		country: byClicks(rowsOf('country')),
		hourOfDay: everyKey(
			'hourOfDay',
			Array.from({ length: 24 }, (_, h) => h),
		),
		dayOfWeek: everyKey('dayOfWeek', [1, 2, 3, 4, 5, 6, 7]),
		link: byClicks(rowsOf('link')),
	};
}
