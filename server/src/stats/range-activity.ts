/** One record, wherever it was read from; `index` is the recipient's place, -1 for none. */
export interface Cell {
	index: number;
	variant: string;
	views: number;
	clicks: number;
	conversions: number;
	/** In ten-thousandths of the currency, exact. */
	revenue: number;
	delivered: number;
	failed: number;
	/** ms since the epoch, Infinity without a click. */
	firstClick: number;
}

/** A cell to fill record by record (one object reused, so reading millions of records allocates none). */
export const emptyCell = (): Cell => ({
	index: -1,
	variant: '',
	views: 0,
	clicks: 0,
	conversions: 0,
	revenue: 0,
	delivered: 0,
	failed: 0,
	firstClick: Infinity,
});

// A recipient's figures lie side by side (one block per recipient), so merging a record touches
// one or two cache lines rather than one per figure: records come in no recipient order, and with
// a figure per array every record missed the cache once per figure.
const present = 0;
const views = 1;
const clicks = 2;
const conversions = 3;
const delivered = 4;
const failed = 5;
const revenue = 6;
const firstClick = 7;
const variant = 8;
const stride = 9;

/** What the recipients did in the range in one wave (or in all): one block per recipient. */
export class Activity {
	private readonly data: Float64Array;
	/** The variants seen, by number (0: none), for the block's variant slot. */
	private readonly variants: string[] = [''];
	private readonly variantNumbers = new Map<string, number>();

	constructor(readonly size: number) {
		this.data = new Float64Array(size * stride);
	}

	add(c: Cell) {
		const o = c.index * stride;
		const d = this.data;
		// a block's first click is set by its first cell (no pass over every block beforehand)
		if (d[o + present] === 0) {
			d[o + present] = 1;
			d[o + firstClick] = c.firstClick;
		} else if (c.firstClick < d[o + firstClick]) d[o + firstClick] = c.firstClick;
		d[o + views] += c.views;
		d[o + clicks] += c.clicks;
		d[o + conversions] += c.conversions;
		d[o + delivered] += c.delivered;
		d[o + failed] += c.failed;
		d[o + revenue] += c.revenue;
		// the greatest variant the events carry (PostgreSQL's max(): nulls ignored)
		if (c.variant !== '') {
			const mine = d[o + variant];
			if (mine === 0 || c.variant > this.variants[mine]) d[o + variant] = this.numberOf(c.variant);
		}
	}

	private numberOf(name: string): number {
		let n = this.variantNumbers.get(name);
		if (n === undefined) {
			n = this.variants.push(name) - 1;
			this.variantNumbers.set(name, n);
		}
		return n;
	}

	present(i: number) {
		return this.data[i * stride + present] === 1;
	}
	views(i: number) {
		return this.data[i * stride + views];
	}
	clicks(i: number) {
		return this.data[i * stride + clicks];
	}
	conversions(i: number) {
		return this.data[i * stride + conversions];
	}
	delivered(i: number) {
		return this.data[i * stride + delivered];
	}
	failed(i: number) {
		return this.data[i * stride + failed];
	}
	revenue(i: number) {
		return this.data[i * stride + revenue];
	}
	/** Infinity without a click (or without a cell). */
	firstClick(i: number) {
		return this.present(i) ? this.data[i * stride + firstClick] : Infinity;
	}
	/** null for none. */
	variant(i: number): string | null {
		const n = this.data[i * stride + variant];
		return n === 0 ? null : this.variants[n];
	}

	/** Copies recipient `i`'s figures into `c` (for adding them up over waves). */
	cell(i: number, c: Cell): Cell {
		const o = i * stride;
		const d = this.data;
		c.index = i;
		c.variant = this.variant(i) ?? '';
		c.views = d[o + views];
		c.clicks = d[o + clicks];
		c.conversions = d[o + conversions];
		c.delivered = d[o + delivered];
		c.failed = d[o + failed];
		c.revenue = d[o + revenue];
		c.firstClick = this.firstClick(i);
		return c;
	}
}
