import type { Database, Queryable } from '../db';
import { HttpError, notFound } from '../http/errors';
import { newId } from '../shared/ids';
import type { AbTestRule } from '../ab-tests/rule';
import type { WinnerReport } from '../ab-tests/report';
import type { Campaign, CampaignChanges, CampaignQuery, IfNameExists, NewCampaign, Utm, Variant } from './types';

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
	ab_test_rule: AbTestRule | null;
	ab_test_decision: WinnerReport | null;
	created_at: Date;
	archived_at: Date | null;
}

const columns =
	'id, name, conversion_tracking, fallback_url, utm, variants, holdout, cost_per_segment, currency, winner, ab_test_rule, ab_test_decision, created_at, archived_at';

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
		abTestRule: row.ab_test_rule,
		abTestResult: row.ab_test_decision,
		createdAt: row.created_at.toISOString(),
		archivedAt: row.archived_at ? row.archived_at.toISOString() : null,
	};
}

/**
 * Creates the campaign; with `ifNameExists` it first looks for one of exactly this name (the
 * newest, archived ones too): 'return' hands that one back (created: false), 'fail' is a 409.
 * The name is locked for the transaction, so two concurrent get-or-creates make one campaign.
 */
export async function createOrFindCampaign(
	db: Database,
	input: NewCampaign,
	ifNameExists?: IfNameExists,
): Promise<{ campaign: Campaign; created: boolean }> {
	if (!ifNameExists) return { campaign: await createCampaign(db, input), created: true };
	return db.withTransaction(async (tx) => {
		await tx.query(`SELECT pg_advisory_xact_lock(hashtext('campaign name:' || $1))`, [input.name]);
		const { rows } = await tx.query<CampaignRow>(
			`SELECT ${columns} FROM campaigns WHERE name = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
			[input.name],
		);
		if (!rows[0]) return { campaign: await createCampaign(tx, input), created: true };
		if (ifNameExists === 'fail') {
			throw new HttpError(409, 'campaign_name_exists', `A campaign named "${input.name.slice(0, 64)}" already exists: ${rows[0].id}`);
		}
		return { campaign: toCampaign(rows[0]), created: false };
	});
}

export async function createCampaign(db: Queryable, input: NewCampaign): Promise<Campaign> {
	const { rows } = await db.query<CampaignRow>(
		`INSERT INTO campaigns (id, name, conversion_tracking, fallback_url, utm, variants, holdout, cost_per_segment, currency, ab_test_rule)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
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
			input.abTestRule ? JSON.stringify(input.abTestRule) : null,
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

/**
 * The conditions of the campaign list's filters (search, status, creation dates), their values
 * appended to `values`. The search matches any part of the name in any case (served by the
 * trigram index of migration 007); LIKE's wildcards in it are taken literally. Only the filters
 * given become conditions, so every plan can use the index its filter needs.
 */
export function campaignFilters(query: Omit<CampaignQuery, 'limit' | 'cursor'>, values: unknown[]): string[] {
	const conditions: string[] = [];
	const where = (condition: (param: string) => string, value: unknown) => {
		values.push(value);
		conditions.push(condition(`$${values.length}`));
	};
	if (query.search) where((p) => `lower(name) LIKE ${p}`, `%${query.search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
	if (query.status !== 'all') conditions.push(query.status === 'archived' ? 'archived_at IS NOT NULL' : 'archived_at IS NULL');
	if (query.createdFrom) where((p) => `created_at >= ${p}`, query.createdFrom);
	if (query.createdTo) where((p) => `created_at <= ${p}`, query.createdTo);
	return conditions;
}

/** One page of campaigns, newest first, after the cursor (the last id of the previous page). */
export async function listCampaigns(db: Queryable, query: CampaignQuery): Promise<Campaign[]> {
	const values: unknown[] = [query.limit];
	const conditions = campaignFilters(query, values);
	if (query.cursor) {
		values.push(query.cursor);
		conditions.push(`(created_at, id) < (SELECT created_at, id FROM campaigns WHERE id = $${values.length})`);
	}
	const { rows } = await db.query<CampaignRow>(
		`SELECT ${columns} FROM campaigns
		 ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
		 ORDER BY created_at DESC, id DESC LIMIT $1`,
		values,
	);
	return rows.map(toCampaign);
}

/** Whether two splits are the same: names and weights in order (texts are not part of a split). */
const sameSplit = (a: Variant[] | null, b: Variant[] | null | undefined) =>
	JSON.stringify(a?.map(({ name, weight }) => ({ name, weight })) ?? null) ===
	JSON.stringify(b?.map(({ name, weight }) => ({ name, weight })) ?? null);

/** The new variants, keeping a text already stored where the new ones bring none. */
const withTexts = (next: Variant[], current: Variant[] | null): Variant[] =>
	next.map((v) => {
		const text = v.text ?? current?.find((c) => c.name === v.name)?.text;
		return text === undefined ? v : { ...v, text };
	});

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
		const next = withTexts(variants, current.variants);
		const same = sameSplit(current.variants, variants) && current.holdout === holdout;
		if (same && JSON.stringify(next) === JSON.stringify(current.variants)) return current;
		// New texts for the same split are taken at any time (a later run may word them anew).
		if (!same) await refuseSplitChangeOnceSent(tx, current);
		const { rows: updated } = await tx.query<CampaignRow>(
			`UPDATE campaigns SET variants = $2, holdout = $3 WHERE id = $1 RETURNING ${columns}`,
			[current.id, JSON.stringify(next), holdout],
		);
		return toCampaign(updated[0]);
	});
}

/** A 409 when messages or links of the campaign already carry a variant (a running A/B test). */
async function refuseSplitChangeOnceSent(tx: Queryable, current: Campaign): Promise<void> {
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
}

/**
 * A rule needs an A/B test (variants stored, or set by the same change) and cannot change once it
 * decided: a 409 that changes nothing.
 */
function refuseRuleChange(current: Campaign, rule: AbTestRule | null, variants: Variant[] | undefined): void {
	if (current.abTestResult) {
		throw new HttpError(409, 'ab_test_decided', `The A/B test of campaign ${current.id} was decided on ${current.abTestResult.decidedAt}; its rule can no longer change`);
	}
	if (rule && !current.variants && !variants) {
		throw new HttpError(
			409,
			'no_ab_test',
			`Campaign ${current.id} has no A/B test: set its variants first (Send with an A/B test, PUT …/variants, or variants in this request)`,
		);
	}
}

const changeColumns: Record<Exclude<keyof CampaignChanges, 'variants' | 'abTestRule'>, string> = {
	name: 'name',
	conversionTracking: 'conversion_tracking',
	fallbackUrl: 'fallback_url',
	utm: 'utm',
	costPerSegment: 'cost_per_segment',
	currency: 'currency',
	holdout: 'holdout',
};

/**
 * PATCH: changes the given settings in one statement. A different A/B split is refused like
 * setVariants does; a cost needs a currency after the change too. Nothing changes on a refusal.
 */
export async function updateCampaign(db: Database, id: string, changes: CampaignChanges): Promise<Campaign> {
	return db.withTransaction(async (tx) => {
		const { rows } = await tx.query<CampaignRow>(`SELECT ${columns} FROM campaigns WHERE id = $1 FOR UPDATE`, [id]);
		if (!rows[0]) throw campaignNotFound(id);
		const current = toCampaign(rows[0]);
		const { variants, abTestRule, ...settings } = changes;
		if (abTestRule !== undefined) refuseRuleChange(current, abTestRule, variants);
		if (variants && !(sameSplit(current.variants, variants) && current.holdout === changes.holdout)) {
			await refuseSplitChangeOnceSent(tx, current);
		}
		const cost = changes.costPerSegment !== undefined ? changes.costPerSegment : current.costPerSegment;
		const currency = changes.currency !== undefined ? changes.currency : current.currency;
		if (cost !== null && !currency) {
			throw new HttpError(400, 'invalid_request', 'currency is required with costPerSegment (set both, or clear the cost with null)');
		}
		const sets: string[] = [];
		const values: unknown[] = [current.id];
		const set = (column: string, value: unknown) => {
			values.push(value);
			sets.push(`${column} = $${values.length}`);
		};
		for (const [key, value] of Object.entries(settings)) {
			if (value === undefined) continue;
			set(changeColumns[key as keyof typeof changeColumns], key === 'utm' && value !== null ? JSON.stringify(value) : value);
		}
		if (variants) set('variants', JSON.stringify(withTexts(variants, current.variants)));
		if (abTestRule !== undefined) set('ab_test_rule', abTestRule === null ? null : JSON.stringify(abTestRule));
		const { rows: updated } = await tx.query<CampaignRow>(
			`UPDATE campaigns SET ${sets.join(', ')} WHERE id = $1 RETURNING ${columns}`,
			values,
		);
		return toCampaign(updated[0]);
	});
}

/** Archives (or brings back) a campaign; archiving twice keeps the first time. */
export async function setArchived(db: Queryable, id: string, archived: boolean): Promise<Campaign> {
	const { rows } = await db.query<CampaignRow>(
		`UPDATE campaigns SET archived_at = CASE WHEN $2 THEN coalesce(archived_at, now()) END
		 WHERE id = $1 RETURNING ${columns}`,
		[id, archived],
	);
	if (!rows[0]) throw campaignNotFound(id);
	return toCampaign(rows[0]);
}

/**
 * Deletes the campaign and everything of it: links, messages, events, webhook subscriptions and
 * stats go by the foreign keys' cascade and migration 007's trigger. Returns what went with it.
 */
export async function deleteCampaign(db: Database, id: string): Promise<{ id: string; links: number; messages: number; events: number }> {
	return db.withTransaction(async (tx) => {
		// The stats folder locks queued events, then their rollup rows; the cascade below would take
		// the rollup rows first and then wait for the queue (a deadlock under load). Taking the
		// campaign's queue first waits for a fold in progress and keeps later folds off it.
		await tx.query('SELECT 1 FROM stats_pending WHERE campaign_id = $1 FOR UPDATE', [id]);
		const { rows } = await tx.query<{ links: string; messages: string; events: string }>(
			`SELECT (SELECT count(*) FROM links WHERE campaign_id = c.id) AS links,
			        (SELECT count(*) FROM messages WHERE campaign_id = c.id) AS messages,
			        (SELECT count(*) FROM events WHERE campaign_id = c.id) AS events
			 FROM campaigns c WHERE c.id = $1 FOR UPDATE`,
			[id],
		);
		if (!rows[0]) throw campaignNotFound(id);
		await tx.query('DELETE FROM campaigns WHERE id = $1', [id]);
		return { id, links: Number(rows[0].links), messages: Number(rows[0].messages), events: Number(rows[0].events) };
	});
}

/** Records the A/B test's winner on the campaign (Pick Winner: a choice by hand ends a tie). */
export async function recordWinner(db: Queryable, id: string, winner: string): Promise<void> {
	await db.query('UPDATE campaigns SET winner = $2, ab_test_tie = false WHERE id = $1', [id, winner]);
}

/** A campaign whose A/B test rule waits for a decision (see ab-tests/checker.ts). */
export interface OpenAbTest {
	id: string;
	rule: AbTestRule;
	variants: Variant[];
	startedAt: Date | null;
}

/**
 * The campaigns whose rule has not decided yet and whose test has variants (a winner picked by
 * hand ends the test too). Read through the partial index of migration 023.
 */
export async function openAbTests(db: Queryable): Promise<OpenAbTest[]> {
	const { rows } = await db.query<{ id: string; rule: AbTestRule; variants: Variant[]; started_at: Date | null }>(
		`SELECT id, ab_test_rule AS rule, variants, ab_test_started_at AS started_at FROM campaigns
		 WHERE ab_test_rule IS NOT NULL AND ab_test_decided_at IS NULL AND winner IS NULL AND variants IS NOT NULL`,
		[],
		'open-ab-tests',
	);
	return rows.map((r) => ({ id: r.id, rule: r.rule, variants: r.variants, startedAt: r.started_at }));
}

/**
 * Notes when each campaign's test started (its first link or message: the earliest recipient of
 * any wave), for the campaigns that have sent; returns what it found. Read once per campaign.
 */
export async function noteAbTestStarts(db: Queryable, ids: string[]): Promise<Map<string, Date>> {
	if (!ids.length) return new Map();
	const { rows } = await db.query<{ id: string; started_at: Date }>(
		`UPDATE campaigns c SET ab_test_started_at = s.started_at
		 FROM (SELECT campaign_id, min(first_seen_at) AS started_at FROM stats_wave_recipients
		       WHERE campaign_id = ANY ($1::text[]) GROUP BY campaign_id) s
		 WHERE c.id = s.campaign_id AND c.ab_test_started_at IS NULL
		 RETURNING c.id, c.ab_test_started_at AS started_at`,
		[ids],
	);
	return new Map(rows.map((r) => [r.id, r.started_at]));
}

/**
 * Records the rule's decision unless one is recorded already (or a winner was picked by hand):
 * the one conditional write that makes concurrent checkers decide once. Returns whether this call
 * decided; the caller stores the `winner` event in the same transaction.
 */
export async function recordAbTestDecision(
	tx: Queryable,
	id: string,
	rule: AbTestRule,
	report: WinnerReport,
): Promise<boolean> {
	// The rule it was decided by must still be the campaign's (a PATCH may have changed it since).
	const { rowCount } = await tx.query(
		`UPDATE campaigns SET winner = $2, ab_test_tie = $3, ab_test_decided_at = $4, ab_test_decision = $5
		 WHERE id = $1 AND ab_test_decided_at IS NULL AND winner IS NULL AND ab_test_rule = $6::jsonb`,
		[id, report.variant, report.tie, report.decidedAt, JSON.stringify(report), JSON.stringify(rule)],
	);
	return rowCount === 1;
}
