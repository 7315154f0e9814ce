import type { Database, Queryable } from '../db';
import { HttpError, notFound } from '../http/errors';
import { newId } from '../shared/ids';
import type { Campaign, NewCampaign, Utm, Variant } from './types';

interface CampaignRow {
	id: string;
	name: string;
	conversion_tracking: boolean;
	fallback_url: string | null;
	utm: Utm | null;
	variants: Variant[] | null;
	holdout: string;
	cost_per_segment: string | null;
	currency: string | null;
	winner: string | null;
	created_at: Date;
}

const columns =
	'id, name, conversion_tracking, fallback_url, utm, variants, holdout, cost_per_segment, currency, winner, created_at';

function toCampaign(row: CampaignRow): Campaign {
	return {
		id: row.id,
		name: row.name,
		conversionTracking: row.conversion_tracking,
		fallbackUrl: row.fallback_url,
		utm: row.utm,
		variants: row.variants,
		holdout: Number(row.holdout),
		costPerSegment: row.cost_per_segment === null ? null : Number(row.cost_per_segment),
		currency: row.currency,
		winner: row.winner,
		createdAt: row.created_at.toISOString(),
	};
}

export async function createCampaign(db: Queryable, input: NewCampaign): Promise<Campaign> {
	const { rows } = await db.query<CampaignRow>(
		`INSERT INTO campaigns (id, name, conversion_tracking, fallback_url, utm, variants, holdout, cost_per_segment, currency)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		 RETURNING ${columns}`,
		[
			newId('cmp'),
			input.name,
			input.conversionTracking,
			input.fallbackUrl ?? null,
			input.utm ? JSON.stringify(input.utm) : null,
			input.variants ? JSON.stringify(input.variants) : null,
			input.holdout,
			input.costPerSegment ?? null,
			input.currency ?? null,
		],
	);
	return toCampaign(rows[0]);
}

export async function findCampaign(db: Queryable, id: string): Promise<Campaign | undefined> {
	const { rows } = await db.query<CampaignRow>(`SELECT ${columns} FROM campaigns WHERE id = $1`, [id]);
	return rows[0] ? toCampaign(rows[0]) : undefined;
}

/** The 404 of every route that names a campaign that is not stored. */
export const campaignNotFound = (id: string) =>
	notFound(`Campaign ${id.slice(0, 64)} does not exist`, 'campaign_not_found');

export async function getCampaign(db: Queryable, id: string): Promise<Campaign> {
	const campaign = await findCampaign(db, id);
	if (!campaign) throw campaignNotFound(id);
	return campaign;
}

export async function listCampaigns(db: Queryable, limit: number, before?: string): Promise<Campaign[]> {
	const { rows } = await db.query<CampaignRow>(
		`SELECT ${columns} FROM campaigns
		 WHERE ($2::text IS NULL OR (created_at, id) < (SELECT created_at, id FROM campaigns WHERE id = $2))
		 ORDER BY created_at DESC, id DESC LIMIT $1`,
		[limit, before ?? null],
	);
	return rows.map(toCampaign);
}

const sameSetup = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Sets a campaign's A/B split (the Send operation's variants). Setting the same split again
 * changes nothing; a different split is refused once messages or links carry a variant, so a
 * running test is never reshuffled.
 */
export async function setVariants(db: Database, id: string, variants: Variant[], holdout: number): Promise<Campaign> {
	return db.withTransaction(async (tx) => {
		const { rows } = await tx.query<CampaignRow>(`SELECT ${columns} FROM campaigns WHERE id = $1 FOR UPDATE`, [id]);
		if (!rows[0]) throw campaignNotFound(id);
		const current = toCampaign(rows[0]);
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
		const { rows: updated } = await tx.query<CampaignRow>(
			`UPDATE campaigns SET variants = $2, holdout = $3 WHERE id = $1 RETURNING ${columns}`,
			[current.id, JSON.stringify(variants), holdout],
		);
		return toCampaign(updated[0]);
	});
}

/** Records the A/B test's winner on the campaign. */
export async function recordWinner(db: Queryable, id: string, winner: string): Promise<void> {
	await db.query('UPDATE campaigns SET winner = $2 WHERE id = $1', [id, winner]);
}
