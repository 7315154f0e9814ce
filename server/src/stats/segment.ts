import { holdoutVariant } from '../campaigns/types';
import { badRequest } from '../http/errors';
import { parsePageLimit } from '../shared/pagination';
import { parseDestination } from '../shared/urls';
import { optionalWave } from '../shared/waves';
import { decodeCursor, onlyKnownParams, type Query } from './params';

export const recipientStatuses = ['sent', 'delivered', 'failed', 'holdout'] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

/** The filters and page of GET …/recipients (docs/api.md#segments). */
export interface RecipientsQuery {
	status?: RecipientStatus;
	/** Whether hold-out recipients are listed; resolved (see parseRecipientsQuery). */
	holdout: 'include' | 'exclude';
	/** Whether failed sends are listed when no status is asked for. */
	failed: 'include' | 'exclude';
	clicked?: boolean;
	viewed?: boolean;
	converted?: boolean;
	variant?: string;
	/** Clicked (at least once) this link, from this device type, OS or country. */
	url?: string;
	deviceType?: string;
	os?: string;
	country?: string;
	clickedWithinHours?: number;
	notClickedWithinHours?: number;
	/** Recipients of this send wave, with that wave's counts (combines with clicked, viewed, converted, variant). */
	wave?: string;
	/** Recipients the provider did not accept a message from in this wave (none sent, or all refused). */
	notSentInWave?: string;
	limit: number;
	after?: string;
}

const maxHours = 24 * 366;

function optionalFlag(query: Query, key: string): boolean | undefined {
	const value = query[key];
	if (value === undefined || value === '') return undefined;
	if (value === 'true') return true;
	if (value === 'false') return false;
	throw badRequest(`${key} must be true or false`);
}

function optionalChoice<T extends string>(
	query: Query,
	key: string,
	choices: readonly T[],
): T | undefined {
	const value = query[key];
	if (value === undefined || value === '') return undefined;
	if (typeof value !== 'string' || !(choices as readonly string[]).includes(value))
		throw badRequest(`${key} must be one of ${choices.join(', ')}`);
	return value as T;
}

function optionalName(query: Query, key: string, max: number): string | undefined {
	const value = query[key];
	if (value === undefined || value === '') return undefined;
	if (typeof value !== 'string' || value.length > max)
		throw badRequest(`${key} must be a text of at most ${max} characters`);
	return value;
}

function optionalHours(query: Query, key: string): number | undefined {
	const value = query[key];
	if (value === undefined || value === '') return undefined;
	const hours = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : NaN;
	if (!(hours >= 1 && hours <= maxHours))
		throw badRequest(`${key} must be a whole number of hours from 1 to ${maxHours}`);
	return hours;
}

/**
 * Parses GET …/recipients. A request that asks who did NOT do something (clicked, viewed or
 * converted false, notClickedWithinHours) leaves out hold-out recipients and failed sends unless
 * status or holdout asks for them: they never got the message, so they are not whom a reminder
 * is for. The variant "holdout" (the older way to list the hold-out) includes them.
 */
export function parseRecipientsQuery(query: Query): RecipientsQuery {
	onlyKnownParams(query, [
		'status',
		'holdout',
		'clicked',
		'viewed',
		'converted',
		'variant',
		'url',
		'deviceType',
		'os',
		'country',
		'clickedWithinHours',
		'notClickedWithinHours',
		'wave',
		'notSentInWave',
		'limit',
		'cursor',
	]);
	const wave = optionalWave(query.wave === '' ? undefined : query.wave);
	const notSentInWave = optionalWave(
		query.notSentInWave === '' ? undefined : query.notSentInWave,
		'notSentInWave',
	);
	const notWithWave = [
		'status',
		'holdout',
		'url',
		'deviceType',
		'os',
		'country',
		'clickedWithinHours',
		'notClickedWithinHours',
		'notSentInWave',
	].filter((key) => query[key] !== undefined && query[key] !== '');
	if (wave !== undefined && notWithWave.length)
		throw badRequest(
			`wave combines with clicked, viewed, converted and variant only; not with ${notWithWave.join(', ')}`,
		);
	const variant = query.variant;
	if (
		variant !== undefined &&
		(typeof variant !== 'string' || variant === '' || variant.length > 32)
	) {
		throw badRequest('variant must be a variant name or holdout');
	}
	const country = optionalName(query, 'country', 2);
	if (country !== undefined && !/^[A-Za-z]{2}$/.test(country))
		throw badRequest('country must be an ISO 3166 code of two letters, such as DE');
	const status = optionalChoice(query, 'status', recipientStatuses);
	const asked = optionalChoice(query, 'holdout', ['include', 'exclude'] as const);
	const parsed = {
		clicked: optionalFlag(query, 'clicked'),
		viewed: optionalFlag(query, 'viewed'),
		converted: optionalFlag(query, 'converted'),
		notClickedWithinHours: optionalHours(query, 'notClickedWithinHours'),
	};
	const negative =
		parsed.clicked === false ||
		parsed.viewed === false ||
		parsed.converted === false ||
		parsed.notClickedWithinHours !== undefined;
	const holdoutAsked = status === 'holdout' || variant === holdoutVariant;
	if (asked === 'exclude' && holdoutAsked)
		throw badRequest(
			'holdout=exclude contradicts asking for the hold-out (status or variant holdout)',
		);
	return {
		...parsed,
		status,
		holdout: asked ?? (holdoutAsked || !negative ? 'include' : 'exclude'),
		failed: status !== undefined || !negative ? 'include' : 'exclude',
		variant: variant as string | undefined,
		url:
			query.url === undefined || query.url === '' ? undefined : parseDestination(query.url, 'url'),
		deviceType: optionalName(query, 'deviceType', 32)?.toLowerCase(),
		os: optionalName(query, 'os', 64)?.toLowerCase(),
		country: country?.toUpperCase(),
		clickedWithinHours: optionalHours(query, 'clickedWithinHours'),
		wave,
		notSentInWave,
		limit: parsePageLimit(query.limit, { fallback: 100, max: 1000 }),
		after: decodeCursor(query.cursor),
	};
}
