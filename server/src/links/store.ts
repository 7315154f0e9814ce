import type { Database } from '../db';
import type { CodeGenerator } from './codes';

export interface LinkRequest {
	recipient: string;
	destination: string;
	linkIndex: number;
	variant: string | null;
}

export interface StoredLink {
	code: string;
	recipient: string;
	destination: string;
	variant: string | null;
}

const maxRounds = 20;

/**
 * Creates the links in a few set-based statements, whatever their number. Idempotent per
 * (campaign, recipient, destination): an existing link keeps its code and variant. A fresh code
 * that collides with any existing one is simply not inserted, and only those rows are retried
 * with new codes, so collisions cost a round, never an error.
 */
export async function createLinks(
	db: Database,
	campaignId: string,
	requests: LinkRequest[],
	expiresAt: Date | undefined,
	nextCode: CodeGenerator,
): Promise<Map<string, StoredLink>> {
	const key = (recipient: string, destination: string) => `${recipient}\n${destination}`;
	return db.withTransaction(async (tx) => {
		const found = new Map<string, StoredLink>();
		let pending = requests;
		for (let round = 0; pending.length > 0; round++) {
			if (round === maxRounds) throw new Error(`could not allocate unique codes after ${maxRounds} rounds`);
			const inserted = await tx.query<StoredLink>(
				`INSERT INTO links (code, campaign_id, recipient, destination, link_index, variant, expires_at)
				 SELECT code, $1, recipient, destination, link_index, variant, $7
				 FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
				   AS t(code, recipient, destination, link_index, variant)
				 ON CONFLICT DO NOTHING
				 RETURNING code, recipient, destination, variant`,
				[
					campaignId,
					pending.map(() => nextCode()),
					pending.map((r) => r.recipient),
					pending.map((r) => r.destination),
					pending.map((r) => r.linkIndex),
					pending.map((r) => r.variant),
					expiresAt ?? null,
				],
			);
			for (const row of inserted.rows) found.set(key(row.recipient, row.destination), row);
			// The rest either existed already (idempotent repeat) or drew a code that is taken.
			const rest = pending.filter((r) => !found.has(key(r.recipient, r.destination)));
			if (rest.length > 0) {
				const { rows } = await tx.query<StoredLink>(
					`SELECT l.code, l.recipient, l.destination, l.variant
					 FROM links l
					 JOIN unnest($2::text[], $3::text[]) AS t(recipient, destination)
					   ON l.recipient = t.recipient AND l.destination = t.destination
					 WHERE l.campaign_id = $1`,
					[campaignId, rest.map((r) => r.recipient), rest.map((r) => r.destination)],
				);
				for (const row of rows) found.set(key(row.recipient, row.destination), row);
			}
			pending = rest.filter((r) => !found.has(key(r.recipient, r.destination)));
		}
		if (expiresAt) {
			await tx.query(
				`UPDATE links l SET expires_at = $4
				 FROM unnest($2::text[], $3::text[]) AS t(recipient, destination)
				 WHERE l.campaign_id = $1 AND l.recipient = t.recipient AND l.destination = t.destination
				   AND l.expires_at IS DISTINCT FROM $4`,
				[campaignId, requests.map((r) => r.recipient), requests.map((r) => r.destination), expiresAt],
			);
		}
		return found;
	});
}
