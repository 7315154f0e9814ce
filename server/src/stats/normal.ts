/**
 * The standard normal distribution, to double precision where it matters for p-values.
 *
 * erfc: for x < 3 the everywhere-positive series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))
 * (no cancellation between terms, so ~1e-15 absolute), for x ≥ 3 the continued fraction of
 * erfc evaluated with the modified Lentz method (relative error ~1e-15, keeps tiny p-values exact).
 * The inverse CDF is Acklam's rational approximation (relative error < 1.2e-9) refined by one
 * Halley step against the accurate CDF.
 */

const sqrtPi = Math.sqrt(Math.PI);

function erfSeries(x: number): number {
	let term = x;
	let sum = x;
	for (let n = 1; n < 200; n++) {
		term *= (2 * x * x) / (2 * n + 1);
		sum += term;
		if (term < sum * 1e-17) break;
	}
	return (2 / sqrtPi) * Math.exp(-x * x) * sum;
}

function erfcContinuedFraction(x: number): number {
	// erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
	const tiny = 1e-300;
	let f = x;
	let c = x;
	let d = 0;
	for (let n = 1; n < 500; n++) {
		const a = n / 2;
		d = x + a * d;
		d = d === 0 ? tiny : d;
		c = x + a / c;
		c = c === 0 ? tiny : c;
		d = 1 / d;
		const delta = c * d;
		f *= delta;
		if (Math.abs(delta - 1) < 1e-16) break;
	}
	return Math.exp(-x * x) / sqrtPi / f;
}

/** Complementary error function. */
export function erfc(x: number): number {
	if (Number.isNaN(x)) return NaN;
	if (x < 0) return 2 - erfc(-x);
	if (x < 3) return 1 - erfSeries(x);
	return erfcContinuedFraction(x);
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
	return erfc(-z / Math.SQRT2) / 2;
}

/** Two-sided tail probability P(|Z| ≥ |z|). */
export function twoSidedP(z: number): number {
	return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

const a = [
	-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
	-3.066479806614716e1, 2.506628277459239,
];
const b = [
	-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
	-1.328068155288572e1,
];
const c = [
	-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
	4.374664141464968, 2.938163982698783,
];
const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** The z with P(Z ≤ z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
	if (!(p > 0 && p < 1)) throw new RangeError('normalQuantile needs 0 < p < 1');
	const low = 0.02425;
	let x: number;
	if (p < low) {
		const q = Math.sqrt(-2 * Math.log(p));
		x =
			(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p <= 1 - low) {
		const q = p - 0.5;
		const r = q * q;
		x =
			((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	} else {
		const q = Math.sqrt(-2 * Math.log(1 - p));
		x =
			-(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	// One Halley step against the accurate CDF.
	const e = normalCdf(x) - p;
	const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
	return x - u / (1 + (x * u) / 2);
}
