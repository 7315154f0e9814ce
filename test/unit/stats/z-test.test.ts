import { erfc, normalCdf, normalQuantile, twoSidedP } from '../../../server/src/stats/normal';
import { requiredSamplePerVariant, twoProportionZTest } from '../../../server/src/stats/z-test';
import { decideWinner } from '../../../server/src/stats/winner';

// Reference values: erfc from the C library (Python math.erfc), quantiles from Python's
// statistics.NormalDist, z and p computed by hand with the pooled formula.
test.each([
	[0.1, 0.8875370839817152],
	[0.5, 0.4795001221869535],
	[1, 0.15729920705028513],
	[2, 0.004677734981047265],
	[2.9, 4.109787809945886e-5],
	[3, 2.2090496998585438e-5],
	[3.1, 1.1648657367199589e-5],
	[5, 1.5374597944280351e-12],
	[8, 1.1224297172982928e-29],
])('when erfc(%p) is computed, then it matches the reference to 1e-7 relative', (x, expected) => {
	expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-7);
	expect(Math.abs(erfc(-x) - (2 - expected))).toBeLessThan(1e-12);
});

test('when the normal CDF and its inverse are computed, then they match the textbook values', () => {
	expect(normalCdf(0)).toBeCloseTo(0.5, 15);
	expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 12);
	expect(twoSidedP(1.96)).toBeCloseTo(0.04999579029644087, 12);
	expect(normalQuantile(0.975)).toBeCloseTo(1.9599639845400536, 10);
	expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729144, 10);
	expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 10);
	expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 8);
});

test.each([
	// x1, n1, x2, n2, z, two-sided p
	[120, 1000, 100, 1000, 1.4293008498232314, 0.1529177818639462],
	[200, 1000, 150, 1000, 2.9424494316825, 0.0032562696284120633],
	[60, 500, 40, 500, 2.1081851067789192, 0.035014981019662536],
	[30, 100, 10, 100, 3.535533905932737, 0.0004069520174449609],
])(
	'when %p/%p is tested against %p/%p, then z and p are the pooled two-proportion values',
	(x1, n1, x2, n2, z, p) => {
		const result = twoProportionZTest(
			{ successes: x1, trials: n1 },
			{ successes: x2, trials: n2 },
		)!;
		expect(result.z).toBeCloseTo(z, 10);
		expect(result.pValue).toBeCloseTo(p, 10);
		expect(
			twoProportionZTest({ successes: x2, trials: n2 }, { successes: x1, trials: n1 })!.pValue,
		).toBeCloseTo(p, 10);
	},
);

test('when both rates are 0 or a side has no sample, then there is no evidence of a difference', () => {
	expect(twoProportionZTest({ successes: 0, trials: 50 }, { successes: 0, trials: 70 })).toEqual({
		z: 0,
		pValue: 1,
	});
	expect(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 3, trials: 70 })).toBeNull();
});

test.each([
	// p1, p2, confidence, required n per variant (Fleiss without continuity correction, 80 % power)
	[0.12, 0.1, 0.95, 3841],
	[0.2, 0.15, 0.95, 906],
	[0.3, 0.1, 0.95, 62],
	[0.12, 0.1, 0.99, 5716],
])(
	'when rates %p and %p are compared at %p, then %p recipients per variant are needed',
	(p1, p2, confidence, n) => {
		expect(requiredSamplePerVariant(p1, p2, confidence)).toBe(n);
		expect(requiredSamplePerVariant(p2, p1, confidence)).toBe(n);
	},
);

test('when the leader is significantly ahead but the sample is small, then there is a leader and no winner', () => {
	const variants = [
		{ variant: 'A', recipients: 100, successes: 10, rate: 0.1 },
		{ variant: 'B', recipients: 100, successes: 30, rate: 0.3 },
		{ variant: 'C', recipients: 100, successes: 12, rate: 0.12 },
	];
	const small = decideWinner(variants, {
		metric: 'ctr',
		minSamplePerVariant: 500,
		confidence: 0.95,
	});
	expect(small).toMatchObject({
		leader: 'B',
		runnerUp: 'C',
		significant: true,
		minSampleReached: false,
		winner: null,
	});
	const enough = decideWinner(variants, {
		metric: 'ctr',
		minSamplePerVariant: 100,
		confidence: 0.95,
	});
	expect(enough).toMatchObject({
		leader: 'B',
		runnerUp: 'C',
		winner: 'B',
		requiredSamplePerVariant: 80,
	});
	expect(enough.pValue).toBeCloseTo(
		twoProportionZTest({ successes: 30, trials: 100 }, { successes: 12, trials: 100 })!.pValue,
		15,
	);
});

test('when the best rate is shared, then the decision is a tie with no leader and no winner', () => {
	const decision = decideWinner(
		[
			{ variant: 'A', recipients: 400, successes: 40, rate: 0.1 },
			{ variant: 'B', recipients: 200, successes: 20, rate: 0.1 },
			{ variant: 'C', recipients: 300, successes: 15, rate: 0.05 },
		],
		{ metric: 'ctr', minSamplePerVariant: 100, confidence: 0.95 },
	);
	expect(decision).toMatchObject({
		leader: null,
		tied: ['A', 'B'],
		winner: null,
		significant: false,
		requiredSamplePerVariant: null,
	});
	expect(decision.pValue).toBeCloseTo(1, 12);
});

test('when one variant is ahead, then nothing is tied', () => {
	const decision = decideWinner(
		[
			{ variant: 'A', recipients: 100, successes: 10, rate: 0.1 },
			{ variant: 'B', recipients: 100, successes: 11, rate: 0.11 },
		],
		{ metric: 'ctr', minSamplePerVariant: 100, confidence: 0.95 },
	);
	expect(decision).toMatchObject({ leader: 'B', tied: [] });
});
