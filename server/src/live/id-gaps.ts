/** A run of event ids not seen yet, and since when it is missing. */
export interface IdGap {
	lo: bigint;
	hi: bigint;
	since: number;
}

/** The first index in sorted `ids` whose id is >= `value`. */
function lowerBound(ids: bigint[], value: bigint): number {
	let lo = 0;
	let hi = ids.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (ids[mid] < value) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** The parts of [lo, hi] that none of the sorted `ids` covers. */
export function uncovered(lo: bigint, hi: bigint, ids: bigint[]): Array<[bigint, bigint]> {
	const out: Array<[bigint, bigint]> = [];
	let next = lo;
	for (let i = lowerBound(ids, lo); i < ids.length && ids[i] <= hi; i++) {
		if (ids[i] > next) out.push([next, ids[i] - 1n]);
		next = ids[i] + 1n;
	}
	if (next <= hi) out.push([next, hi]);
	return out;
}

/**
 * The gaps after a look-up that found `found` (sorted) in the old gaps and in the new range
 * (`from`, `to`]: what is still missing, without gaps older than `now - graceMs` (those ids were
 * rolled back or skipped as duplicates: they never come) and at most `max` gaps (the newest).
 */
export function nextGaps(
	gaps: IdGap[],
	found: bigint[],
	range: { from: bigint; to: bigint } | null,
	opts: { now: number; graceMs: number; max: number },
): IdGap[] {
	const next: IdGap[] = [];
	for (const gap of gaps) {
		if (opts.now - gap.since > opts.graceMs) continue;
		for (const [lo, hi] of uncovered(gap.lo, gap.hi, found))
			next.push({ lo, hi, since: gap.since });
	}
	if (range && range.to > range.from) {
		for (const [lo, hi] of uncovered(range.from + 1n, range.to, found))
			next.push({ lo, hi, since: opts.now });
	}
	return next.slice(-opts.max);
}
