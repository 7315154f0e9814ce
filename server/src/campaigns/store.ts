import type { Queryable } from '../db';
import { notFound } from '../http/errors';
import { newId } from '../shared/ids';
import type { NewCampaign, Utm, Variant } from './validate';

export interface Campaign {
	id: string;
	name: string;
	conversionTracking: boolean;
	fallbackUrl: string | null;
	utm: Utm | null;
	variants: Variant[] | null;
	holdout: number;
	costPerSegment: number | null;
	currency: string | null;
	winner: string | null;
	createdAt: string;
}

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

export function toCampaign(row: CampaignRow): Campaign {
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

export async function getCampaign(db: Queryable, id: string): Promise<Campaign> {
	const campaign = await findCampaign(db, id);
	if (!campaign) throw notFound(`Campaign ${id.slice(0, 64)} does not exist`, 'campaign_not_found');
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
