import { isPgError, pgErrors, type Database, type Queryable } from '../db';
import type { CodeGenerator } from './codes';

export interface LinkRequest {
	recipient: string;
	destination: string;
	linkIndex: number;
	variant: string | null;
	wave: string;
}

export interface StoredLink {
	code: string;
	recipient: string;
	destination: string;
	variant: string | null;
	wave: string;
}

const maxRounds = 20;

/**
 * Creates the links in a few set-based statements, whatever their number, and returns them in
 * the order of the requests. Idempotent per
 * (campaign, recipient, destination, wave): an existing link keeps its code and variant. A fresh code
 * that collides with any existing one is simply not inserted, and only those rows are retried
 * with new codes, so collisions cost a round, never an error. `expiryChanged`: an existing link
 * got the new `expiresAt`, so cached codes may now answer differently.
 */
export async function createLinks(
	db: Database,
	campaignId: string,
	requests: LinkRequest[],
	expiresAt: Date | undefined,
	nextCode: CodeGenerator,
): Promise<{ links: StoredLink[]; expiryChanged: boolean }> {
	const key = (l: { recipient: string; destination: string; wave: string }) =>
		`${l.recipient}\n${l.destination}\n${l.wave}`;
	return db.withTransaction(async (tx) => {
		const fresh = await insertAllFresh(tx, campaignId, requests, expiresAt, nextCode);
		if (fresh) return { links: fresh, expiryChanged: false };
		const found = new Map<string, StoredLink>();
		let pending = requests;
		for (let round = 0; pending.length > 0; round++) {
			if (round === maxRounds) throw new Error(`could not allocate unique codes after ${maxRounds} rounds`);
			const inserted = await tx.query<StoredLink>(
				`${insertColumns}
				 ON CONFLICT DO NOTHING
				 RETURNING code, recipient, destination, variant, wave`,
				[
					campaignId,
					pending.map(() => nextCode()),
					pending.map((r) => r.recipient),
					pending.map((r) => r.destination),
					pending.map((r) => r.linkIndex),
					pending.map((r) => r.variant),
					expiresAt ?? null,
					pending.map((r) => r.wave),
				],
			);
			for (const row of inserted.rows) found.set(key(row), row);
			// The rest either existed already (idempotent repeat) or drew a code that is taken.
			const rest = pending.filter((r) => !found.has(key(r)));
			if (rest.length > 0) {
				const { rows } = await tx.query<StoredLink>(
					`SELECT l.code, l.recipient, l.destination, l.variant, l.wave
					 FROM links l
					 JOIN unnest($2::text[], $3::text[], $4::text[]) AS t(recipient, destination, wave)
					   ON l.recipient = t.recipient AND l.destination = t.destination AND l.wave = t.wave
					 WHERE l.campaign_id = $1`,
					[campaignId, rest.map((r) => r.recipient), rest.map((r) => r.destination), rest.map((r) => r.wave)],
				);
				for (const row of rows) found.set(key(row), row);
			}
			pending = rest.filter((r) => !found.has(key(r)));
		}
		let expiryChanged = false;
		if (expiresAt) {
			const { rowCount } = await tx.query(
				`UPDATE links l SET expires_at = $4
				 FROM unnest($2::text[], $3::text[], $5::text[]) AS t(recipient, destination, wave)
				 WHERE l.campaign_id = $1 AND l.recipient = t.recipient AND l.destination = t.destination
				   AND l.wave = t.wave AND l.expires_at IS DISTINCT FROM $4`,
				[
					campaignId,
					requests.map((r) => r.recipient),
					requests.map((r) => r.destination),
					expiresAt,
					requests.map((r) => r.wave),
				],
			);
			expiryChanged = rowCount > 0;
		}
		return { links: requests.map((r) => found.get(key(r))!), expiryChanged };
	});
}

const insertColumns = `INSERT INTO links (code, campaign_id, recipient, destination, link_index, variant, expires_at, wave)
	 SELECT code, $1, recipient, destination, link_index, variant, $7, wave
	 FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $8::text[])
	   AS t(code, recipient, destination, link_index, variant, wave)`;

/**
 * The fast path for the usual case, links that do not exist yet: one plain INSERT, without the
 * per-row conflict checks of ON CONFLICT and without RETURNING, since every row is known to be
 * new once it succeeds. Any unique violation (an idempotent repeat, a concurrent request for the
 * same links, or a code taken by another campaign) rolls back to the savepoint and returns null,
 * and the caller takes the careful path. A repeat is spotted beforehand by one index probe, so
 * it does not pay for the failed attempt.
 */
async function insertAllFresh(
	tx: Queryable,
	campaignId: string,
	requests: LinkRequest[],
	expiresAt: Date | undefined,
	nextCode: CodeGenerator,
): Promise<StoredLink[] | null> {
	const first = requests[0];
	const repeat = await tx.query(
		'SELECT 1 FROM links WHERE campaign_id = $1 AND recipient = $2 AND destination = $3 AND wave = $4',
		[campaignId, first.recipient, first.destination, first.wave],
	);
	if (repeat.rowCount > 0) return null;
	// Codes unique within the batch, so that only a clash with a stored code can fail the insert.
	const codes = new Set<string>();
	for (let drawn = 0; codes.size < requests.length; drawn++) {
		if (drawn === requests.length * 4) return null; // a nearly full code space: leave it to the rounds
		codes.add(nextCode());
	}
	const codeList = [...codes];
	await tx.query('SAVEPOINT links_fresh');
	try {
		await tx.query(insertColumns, [
			campaignId,
			textArray(codeList),
			textArray(requests.map((r) => r.recipient)),
			textArray(requests.map((r) => r.destination)),
			requests.map((r) => r.linkIndex),
			textArray(requests.map((r) => r.variant)),
			expiresAt ?? null,
			textArray(requests.map((r) => r.wave)),
		]);
	} catch (err) {
		if (!isPgError(err, pgErrors.uniqueViolation)) throw err;
		await tx.query('ROLLBACK TO SAVEPOINT links_fresh');
		return null;
	}
	await tx.query('RELEASE SAVEPOINT links_fresh');
	return requests.map((r, i) => ({
		code: codeList[i],
		recipient: r.recipient,
		destination: r.destination,
		variant: r.variant,
		wave: r.wave,
	}));
}

/**
 * A PostgreSQL text[] literal, as pg would write it for an array parameter but cheaper for tens
 * of thousands of elements: most need no escaping, and repeated ones (destinations, variants)
 * are escaped once.
 */
export function textArray(values: readonly (string | null)[]): string {
	const escaped = new Map<string, string>();
	const parts = new Array<string>(values.length);
	for (let i = 0; i < values.length; i++) {
		const value = values[i];
		if (value === null) {
			parts[i] = 'NULL';
			continue;
		}
		let part = escaped.get(value);
		if (part === undefined) {
			part = `"${value.indexOf('\\') < 0 && value.indexOf('"') < 0 ? value : value.replace(/[\\"]/g, '\\$&')}"`;
			if (escaped.size < 1000) escaped.set(value, part);
		}
		parts[i] = part;
	}
	return `{${parts.join(',')}}`;
}

/** The campaign's links of these codes (codes of other campaigns are not found). */
export async function findCampaignLinks(
	db: Queryable,
	campaignId: string,
	codes: readonly string[],
): Promise<Array<{ code: string; recipient: string; variant: string | null }>> {
	if (codes.length === 0) return [];
	const { rows } = await db.query<{ code: string; recipient: string; variant: string | null }>(
		'SELECT code, recipient, variant FROM links WHERE campaign_id = $1 AND code = ANY($2::text[])',
		[campaignId, textArray(codes)],
	);
	return rows;
}
