import type { Utm } from '../campaigns/types';

const utmKeys = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * Appends query parameters to a stored destination without re-encoding what is already there
 * (URLSearchParams would rewrite `%20` as `+` and reorder nothing but still touch every pair).
 * Parameters already present in the destination win unless `replace` names them.
 */
export function appendParams(
	destination: string,
	params: Array<[string, string]>,
	replace: readonly string[] = [],
): string {
	if (params.length === 0) return destination;
	const hashAt = destination.indexOf('#');
	let base = hashAt === -1 ? destination : destination.slice(0, hashAt);
	const hash = hashAt === -1 ? '' : destination.slice(hashAt);
	const queryAt = base.indexOf('?');
	const existing = new URLSearchParams(queryAt === -1 ? '' : base.slice(queryAt + 1));
	const toReplace = params
		.filter(([key]) => replace.includes(key) && existing.has(key))
		.map(([key]) => key);
	if (toReplace.length) {
		const kept = base
			.slice(queryAt + 1)
			.split('&')
			.filter((pair) => !toReplace.includes(decodeKey(pair)));
		base = base.slice(0, queryAt) + (kept.length ? '?' + kept.join('&') : '');
		for (const key of toReplace) existing.delete(key);
	}
	const added = params
		.filter(([key]) => !existing.has(key))
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
	if (added.length === 0) return base + hash;
	const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
	return base + separator + added.join('&') + hash;
}

function decodeKey(pair: string): string {
	const key = pair.split('=')[0];
	try {
		return decodeURIComponent(key.replace(/\+/g, ' '));
	} catch {
		return key;
	}
}

/** The campaign's UTM settings as utm_* parameters, in the conventional order. */
export function utmParams(utm: Utm | null | undefined): Array<[string, string]> {
	if (!utm) return [];
	return utmKeys.filter((key) => utm[key]).map((key) => [`utm_${key}`, utm[key]!]);
}

/** Name of the click-id parameter the landing page's script (t.js) reads. */
export const clickIdParam = 'sms_cid';
