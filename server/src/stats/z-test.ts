import { normalQuantile, twoSidedP } from './normal';

export interface Proportion {
	successes: number;
	trials: number;
}

/**
 * Two-proportion z-test with the pooled standard error, two-sided. Returns null when a side has
 * no trials. When both rates are 0 or both are 1 there is no variance and no evidence of a
 * difference: z = 0, p = 1.
 */
export function twoProportionZTest(
	x: Proportion,
	y: Proportion,
): { z: number; pValue: number } | null {
	if (x.trials <= 0 || y.trials <= 0) return null;
	const p1 = x.successes / x.trials;
	const p2 = y.successes / y.trials;
	const pooled = (x.successes + y.successes) / (x.trials + y.trials);
	const se = Math.sqrt(pooled * (1 - pooled) * (1 / x.trials + 1 / y.trials));
	if (se === 0) return { z: 0, pValue: 1 };
	const z = (p1 - p2) / se;
	return { z, pValue: twoSidedP(z) };
}

/**
 * Recipients per variant a two-sided test at `confidence` needs to detect the difference between
 * rates p1 and p2 with the given power (Fleiss' formula without continuity correction):
 * n = (z₁₋α/₂·√(2·p̄·(1−p̄)) + z_power·√(p1(1−p1) + p2(1−p2)))² / (p1 − p2)².
 * Null when the rates are equal (no sample size detects a difference of zero).
 */
export function requiredSamplePerVariant(
	p1: number,
	p2: number,
	confidence: number,
	power = 0.8,
): number | null {
	if (p1 === p2 || !Number.isFinite(p1) || !Number.isFinite(p2)) return null;
	const zAlpha = normalQuantile(1 - (1 - confidence) / 2);
	const zBeta = normalQuantile(power);
	const mean = (p1 + p2) / 2;
	const numerator =
		zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
	return Math.ceil((numerator * numerator) / ((p1 - p2) * (p1 - p2)));
}
