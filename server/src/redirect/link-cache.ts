import type { Utm } from '../campaigns/types';
import type { Queryable } from '../db';
import { Lru } from '../shared/lru';
import { appendParams, utmParams } from './target-url';

/** What the redirect needs to answer a code, read once and then served from memory. */
export interface CachedLink {
	code: string;
	campaignId: string;
	recipient: string;
	/** The destination as stored (events record this one). */
	destination: string;
	/** The destination with the campaign's UTM parameters merged in. */
	target: string;
	variant: string | null;
	wave: string;
	/** Epoch milliseconds; null: never expires. */
	expiresAt: number | null;
	conversionTracking: boolean;
	fallbackUrl: string | null;
}

interface Entry {
	link: CachedLink | null;
	loadedAt: number;
}

interface LinkRow {
	code: string;
	campaign_id: string;
	recipient: string;
	destination: string;
	variant: string | null;
	wave: string;
	expires_at: Date | null;
	conversion_tracking: boolean;
	fallback_url: string | null;
	utm: Utm | null;
}

const selectLink = `
SELECT l.code, l.campaign_id, l.recipient, l.destination, l.variant, l.wave, l.expires_at,
       c.conversion_tracking, c.fallback_url, c.utm
FROM links l JOIN campaigns c ON c.id = l.campaign_id
WHERE l.code = $1`;

/** Unknown codes are remembered briefly, so a scanner trying random codes cannot hammer the database. */
const unknownCodeTtlMs = 5_000;

export interface LinkCache {
	/**
	 * The link behind a code, null when no such code exists. Known codes are answered from memory
	 * and re-read in the background once older than the TTL (kept as they are while the database
	 * cannot be reached). Rejects only when the code is not cached and the database is unreachable.
	 */
	get(code: string): CachedLink | null | Promise<CachedLink | null>;
	/** Forgets every code (links or campaigns changed); reads already under way are not kept. */
	clear(): void;
}

export function createLinkCache(
	db: Queryable,
	opts: { size: number; ttlMs: number; now?: () => number },
): LinkCache {
	const now = opts.now ?? Date.now;
	const entries = new Lru<string, Entry>(opts.size);
	let loading = new Map<string, Promise<CachedLink | null>>();
	/** Bumped by clear(): a read that began before it may hold what was just changed, and is not kept. */
	let generation = 0;

	const load = (code: string): Promise<CachedLink | null> => {
		let pending = loading.get(code);
		if (pending) return pending;
		const startedIn = generation;
		const mine = loading;
		pending = db
			.query<LinkRow>(selectLink, [code])
			.then(({ rows }) => {
				const link = rows[0] ? toCachedLink(rows[0]) : null;
				if (startedIn === generation) entries.set(code, { link, loadedAt: now() });
				return link;
			})
			.finally(() => mine.delete(code));
		loading.set(code, pending);
		return pending;
	};

	return {
		get(code) {
			const entry = entries.get(code);
			if (entry?.link) {
				// Stale while revalidate: answer from memory, refresh in the background; while the
				// database is down the refresh fails and the entry keeps serving.
				if (now() - entry.loadedAt >= opts.ttlMs) load(code).catch(() => undefined);
				return entry.link;
			}
			if (entry && now() - entry.loadedAt < Math.min(opts.ttlMs, unknownCodeTtlMs)) return null;
			return load(code);
		},
		clear() {
			generation += 1;
			entries.clear();
			loading = new Map(); // the next request reads afresh instead of joining an older read
		},
	};
}

function toCachedLink(row: LinkRow): CachedLink {
	return {
		code: row.code,
		campaignId: row.campaign_id,
		recipient: row.recipient,
		destination: row.destination,
		target: appendParams(row.destination, utmParams(row.utm)),
		variant: row.variant,
		wave: row.wave,
		expiresAt: row.expires_at ? row.expires_at.getTime() : null,
		conversionTracking: row.conversion_tracking,
		fallbackUrl: row.fallback_url,
	};
}
