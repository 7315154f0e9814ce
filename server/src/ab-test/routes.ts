import { Router } from 'express';
import { toCampaign } from '../campaigns/store';
import { parseVariants } from '../campaigns/validate';
import type { Database } from '../db';
import { badRequest, HttpError, notFound } from '../http/errors';
import { asObject, onlyKnownFields, optionalNumber } from '../http/validate';

const sameSetup = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * PUT /campaigns/:id/variants {variants, holdout}: sets a campaign's A/B split (the Send
 * operation's variants). Setting the same split again changes nothing; a different split is
 * refused once messages or links carry a variant, so a running test is never reshuffled.
 */
export function abTestRoutes(db: Database): Router {
	const router = Router();
	router.put('/campaigns/:id/variants', async (req, res) => {
		const body = asObject(req.body);
		onlyKnownFields(body, ['variants', 'holdout']);
		const variants = parseVariants(body.variants);
		if (!variants) throw badRequest('variants is required');
		const holdout = optionalNumber(body, 'holdout', { min: 0, max: 0.95 }) ?? 0;

		const campaign = await db.withTransaction(async (tx) => {
			const { rows } = await tx.query(`SELECT * FROM campaigns WHERE id = $1 FOR UPDATE`, [
				req.params.id,
			]);
			if (!rows[0])
				throw notFound(
					`Campaign ${req.params.id.slice(0, 64)} does not exist`,
					'campaign_not_found',
				);
			const current = toCampaign(rows[0] as Parameters<typeof toCampaign>[0]);
			if (sameSetup(current.variants, variants) && current.holdout === holdout) return current;
			const { rows: used } = await tx.query(
				`SELECT 1 FROM messages WHERE campaign_id = $1 AND variant IS NOT NULL
				 UNION ALL SELECT 1 FROM links WHERE campaign_id = $1 AND variant IS NOT NULL LIMIT 1`,
				[current.id],
			);
			if (used.length) {
				throw new HttpError(
					409,
					'variants_in_use',
					`Campaign ${current.id} already sent variants ${(current.variants ?? []).map((v) => `${v.name} (${v.weight})`).join(', ')} with a ${current.holdout * 100} % hold-out; use the same split or a new campaign`,
				);
			}
			const { rows: updated } = await tx.query(
				`UPDATE campaigns SET variants = $2, holdout = $3 WHERE id = $1 RETURNING *`,
				[current.id, JSON.stringify(variants), holdout],
			);
			return toCampaign(updated[0] as Parameters<typeof toCampaign>[0]);
		});
		res.json(campaign);
	});
	return router;
}
