import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { holdoutVariant, type WeightedVariant } from '../../shared/variants';
import { campaignPath, trackingApi } from './api';

export const maxVariants = 4;

export interface AbTest {
	variants: WeightedVariant[];
	/** Share kept back, 0..0.95. */
	holdout: number;
}

interface VariantEntry {
	name?: string;
	text?: string;
	weight?: number;
}

function entries(ctx: IExecuteFunctions, itemIndex: number): VariantEntry[] {
	return (
		((ctx.getNodeParameter('variants', itemIndex, {}) as IDataObject).variant as
			| VariantEntry[]
			| undefined) ?? []
	);
}

/** Reads and checks the A/B set-up (names, weights, hold-out) from the first item. */
export function readAbTest(ctx: IExecuteFunctions): AbTest {
	const list = entries(ctx, 0);
	const fail = (message: string) =>
		new NodeOperationError(ctx.getNode(), message, { itemIndex: 0 });
	if (list.length < 2 || list.length > maxVariants)
		throw fail(`An A/B test needs 2 to ${maxVariants} variants, got ${list.length}`);
	const seen = new Set<string>();
	const variants = list.map((entry, i) => {
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
		return { name, weight };
	});
	const percent = Number(ctx.getNodeParameter('holdoutPercent', 0, 0));
	if (!Number.isFinite(percent) || percent < 0 || percent > 95)
		throw fail('The hold-out must be between 0 and 95 %');
	return { variants, holdout: Math.round(percent * 100) / 10_000 };
}

/** The item's text for its variant (texts may differ per item through expressions). */
export function variantText(ctx: IExecuteFunctions, itemIndex: number, variant: string): string {
	return String(
		entries(ctx, itemIndex).find((e) => String(e.name ?? '').trim() === variant)?.text ?? '',
	);
}

/**
 * Makes the campaign's A/B set-up the node's: a no-op when it already is; the server refuses a
 * change once messages were recorded with other variants, so a running test is never reshuffled.
 */
export async function applyAbTest(
	ctx: IExecuteFunctions,
	campaignId: string,
	ab: AbTest,
): Promise<void> {
	await trackingApi(
		ctx,
		{
			method: 'PUT',
			path: `${campaignPath(campaignId)}/variants`,
			body: { variants: ab.variants as unknown as IDataObject[], holdout: ab.holdout },
		},
		0,
	);
}
