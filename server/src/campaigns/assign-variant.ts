import { createHash } from 'node:crypto';
import { holdoutVariant, type Variant } from './types';

/**
 * Deterministic A/B assignment: the same (campaign, recipient) always gets the same variant, so a
 * re-run sends each recipient the same text. A uniform number in [0, 1) from SHA-256 of
 * "campaignId:recipient" first decides the hold-out, then picks a variant by weight.
 * nodes/shared/variants.ts implements the same function; a test keeps the two in step.
 */
export function assignVariant(campaignId: string, recipient: string, variants: Variant[], holdout: number): string {
	const digest = createHash('sha256').update(`${campaignId}:${recipient}`).digest();
	const u = digest.readUInt32BE(0) / 2 ** 32;
	if (u < holdout) return holdoutVariant;
	const scaled = holdout > 0 ? (u - holdout) / (1 - holdout) : u;
	const total = variants.reduce((sum, v) => sum + v.weight, 0);
	let cumulative = 0;
	for (const variant of variants) {
		cumulative += variant.weight / total;
		if (scaled < cumulative) return variant.name;
	}
	return variants[variants.length - 1].name;
}
