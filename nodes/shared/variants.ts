import { createHash } from 'node:crypto';

export interface WeightedVariant {
	name: string;
	weight: number;
}

/** The name recipients held back from an A/B test carry in place of a variant. */
export const holdoutVariant = 'holdout';

/**
 * Deterministic A/B assignment, identical to the server's server/src/campaigns/assign-variant.ts
 * (a test runs both over many recipients): a uniform number in [0, 1) from the first four bytes
 * of SHA-256("campaignId:recipient") first decides the hold-out, then picks a variant by weight.
 * The same (campaign, recipient) always gets the same variant, so a re-run sends the same text.
 */
export function assignVariant(
	campaignId: string,
	recipient: string,
	variants: WeightedVariant[],
	holdout: number,
): string {
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
