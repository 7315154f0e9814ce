import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { holdoutVariant, type WeightedVariant } from '../../shared/variants';

/** The limits of an A/B test; the server's are the same (a test compares them). */
export const abLimits = {
	maxVariants: 4,
	maxHoldoutPercent: 95,
	minWeight: 0.0001,
	maxWeight: 1_000_000,
} as const;

export interface AbTest {
	variants: WeightedVariant[];
	/** Share kept back, 0..0.95. */
	holdout: number;
}

/** One entry of the Variants parameter, as the editor stores it. */
export interface VariantEntry {
	name?: string;
	text?: string;
	weight?: number;
}

/** Checks the A/B set-up (names, weights, hold-out in percent); errors name the first item. */
export function parseAbTest(node: INode, entries: VariantEntry[], holdoutPercent: unknown): AbTest {
	const fail = (message: string) => new NodeOperationError(node, message, { itemIndex: 0 });
	const { maxVariants, maxHoldoutPercent, minWeight, maxWeight } = abLimits;
	if (entries.length < 2 || entries.length > maxVariants)
		throw fail(`An A/B test needs 2 to ${maxVariants} variants, got ${entries.length}`);
	const seen = new Set<string>();
	const variants = entries.map((entry, i) => {
		const name = String(entry.name ?? '').trim();
		if (!/^[A-Za-z0-9_-]{1,32}$/.test(name) || name === holdoutVariant) {
			throw fail(
				`Variant ${i + 1}: the name must be 1 to 32 letters, digits, - or _ and not "${holdoutVariant}"`,
			);
		}
		if (seen.has(name)) throw fail(`Variant name "${name}" is used twice`);
		seen.add(name);
		const weight = Number(entry.weight ?? 1);
		if (!Number.isFinite(weight) || weight <= 0)
			throw fail(`Variant "${name}": the weight must be above 0`);
		if (weight < minWeight || weight > maxWeight)
			throw fail(`Variant "${name}": the weight must be between ${minWeight} and ${maxWeight}`);
		return { name, weight };
	});
	const percent = Number(holdoutPercent);
	if (!Number.isFinite(percent) || percent < 0 || percent > maxHoldoutPercent)
		throw fail(`The hold-out must be between 0 and ${maxHoldoutPercent} %`);
	return { variants, holdout: Math.round(percent * 100) / 10_000 };
}

/** The text of the variant among the item's entries (texts may differ per item through expressions). */
export function variantText(entries: VariantEntry[], variant: string): string {
	return String(entries.find((e) => String(e.name ?? '').trim() === variant)?.text ?? '');
}
