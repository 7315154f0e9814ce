/** The slots of the range rollups (migration 010): 15 minutes, aligned on the Unix epoch. */
export const slotMs = 15 * 60_000;

/** An instant as PostgreSQL reads it; open ends are its infinities. */
type Bound = string;

export interface RangePlan {
	/** Slots [start, end) read from the rollups. */
	slots: [Bound, Bound];
	/** At most two partial slots, each [start, end), read from the events (empty when start = end). */
	partials: [[Bound, Bound], [Bound, Bound]];
}

const instant = (ms: number): Bound =>
	ms === -Infinity ? '-infinity' : ms === Infinity ? 'infinity' : new Date(ms).toISOString();

/** The whole of [from, to) read from the events, none from the slotted rollups. */
export function eventsOnlyPlan(from: Date | null, to: Date | null): RangePlan {
	const start = instant(from ? from.getTime() : -Infinity);
	const end = instant(to ? to.getTime() : Infinity);
	return {
		slots: [start, start],
		partials: [
			[start, end],
			[end, end],
		],
	};
}

/**
 * Splits [from, to) into the whole slots it covers and what is left at its ends: less than one
 * slot before the first whole slot, less than one after the last. A range inside one slot, or
 * across one slot boundary without covering a slot whole, is read from the events alone.
 */
export function planRange(from: Date | null, to: Date | null): RangePlan {
	const start = from ? from.getTime() : -Infinity;
	const end = to ? to.getTime() : Infinity;
	const firstWhole = Number.isFinite(start) ? Math.ceil(start / slotMs) * slotMs : start;
	const lastWhole = Number.isFinite(end) ? Math.floor(end / slotMs) * slotMs : end;
	if (firstWhole >= lastWhole) {
		return {
			slots: [instant(start), instant(start)],
			partials: [
				[instant(start), instant(end)],
				[instant(end), instant(end)],
			],
		};
	}
	return {
		slots: [instant(firstWhole), instant(lastWhole)],
		partials: [
			[instant(start), instant(firstWhole)],
			[instant(lastWhole), instant(end)],
		],
	};
}
