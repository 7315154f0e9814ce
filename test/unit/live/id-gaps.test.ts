import { nextGaps, uncovered } from '../../../server/src/live/id-gaps';

const ids = (...xs: number[]) => xs.map(BigInt);
const pairs = (list: Array<[bigint, bigint]>) => list.map(([lo, hi]) => [Number(lo), Number(hi)]);

describe('uncovered', () => {
	test.each([
		['everything found', 1, 5, ids(1, 2, 3, 4, 5), []],
		['nothing found', 1, 5, ids(), [[1, 5]]],
		['a hole in the middle', 1, 5, ids(1, 2, 5), [[3, 4]]],
		[
			'holes at both ends',
			1,
			5,
			ids(3),
			[
				[1, 2],
				[4, 5],
			],
		],
		[
			'interleaved batches: every other id',
			1,
			6,
			ids(2, 4, 6),
			[
				[1, 1],
				[3, 3],
				[5, 5],
			],
		],
		[
			'ids outside the range are ignored',
			10,
			12,
			ids(1, 11, 20),
			[
				[10, 10],
				[12, 12],
			],
		],
	])('%s', (_name, lo, hi, found, expected) => {
		expect(pairs(uncovered(BigInt(lo), BigInt(hi), found))).toEqual(expected);
	});
});

describe('nextGaps', () => {
	const opts = { now: 100_000, graceMs: 10_000, max: 3 };

	test('when a later batch commits first, then the ids of the earlier one are awaited from now on', () => {
		expect(nextGaps([], ids(4, 5, 6), { from: 0n, to: 6n }, opts)).toEqual([
			{ lo: 1n, hi: 3n, since: 100_000 },
		]);
	});

	test('when the earlier batch commits, then its gap closes and only what is still missing stays, with its first time', () => {
		const gaps = [{ lo: 1n, hi: 3n, since: 95_000 }];
		expect(nextGaps(gaps, ids(1, 3), null, opts)).toEqual([{ lo: 2n, hi: 2n, since: 95_000 }]);
	});

	test('when a gap is older than the grace, then it is given up (a rolled-back or duplicate id never comes)', () => {
		const gaps = [
			{ lo: 1n, hi: 1n, since: 89_999 },
			{ lo: 5n, hi: 5n, since: 95_000 },
		];
		expect(nextGaps(gaps, ids(), null, opts)).toEqual([{ lo: 5n, hi: 5n, since: 95_000 }]);
	});

	test('when there are more gaps than the most kept, then the newest are kept', () => {
		const gaps = nextGaps([], ids(2, 4, 6, 8), { from: 0n, to: 8n }, opts);
		expect(gaps.map((g) => Number(g.lo))).toEqual([3, 5, 7]);
	});
});
