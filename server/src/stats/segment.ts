import { holdoutVariant } from '../campaigns/types';
import { badRequest } from '../http/errors';
import { parseQuery } from '../http/schema';
import { recipientsQuery, type RecipientStatus } from './schemas';

export { recipientStatuses, type RecipientStatus } from './schemas';

/** The filters and page of GET …/recipients (docs/api.md#segments). */
export interface RecipientsQuery {
	/**
	 * A range [from, to) (null: open): the views, clicks, conversions and revenue are those of the
	 * range, and clicked, viewed, converted, url, deviceType, os and country ask about the range.
	 */
	from: Date | null;
	to: Date | null;
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
	/** Recipients the provider accepted no message of in this wave (none sent, or all refused). */
	notSentInWave?: string;
	limit: number;
	after?: string;
}

/**
 * Parses GET …/recipients. A request that asks who did NOT do something (clicked, viewed or
 * converted false, notClickedWithinHours) leaves out hold-out recipients and failed sends unless
 * status or holdout asks for them: they never got the message, so they are not whom a reminder
 * is for. The variant "holdout" (the older way to list the hold-out) includes them.
 */
export function parseRecipientsQuery(query: Record<string, unknown>): RecipientsQuery {
	const { cursor, holdout: asked, ...parsed } = parseQuery(recipientsQuery, { query });
	const notWithWave = (['from', 'to', 'status', 'holdout', 'url', 'deviceType', 'os', 'country', 'clickedWithinHours', 'notClickedWithinHours', 'notSentInWave'] as const).filter(
		(key) => (key === 'holdout' ? asked : parsed[key]) != null,
	);
	if (parsed.wave !== undefined && notWithWave.length)
		throw badRequest(
			`wave combines with clicked, viewed, converted and variant only; not with ${notWithWave.join(', ')}`,
		);
	const negative =
		parsed.clicked === false ||
		parsed.viewed === false ||
		parsed.converted === false ||
		parsed.notClickedWithinHours !== undefined;
	const holdoutAsked = parsed.status === 'holdout' || parsed.variant === holdoutVariant;
	if (asked === 'exclude' && holdoutAsked)
		throw badRequest(
			'holdout=exclude contradicts asking for the hold-out (status or variant holdout)',
		);
	return {
		...parsed,
		holdout: asked ?? (holdoutAsked || !negative ? 'include' : 'exclude'),
		failed: parsed.status !== undefined || !negative ? 'include' : 'exclude',
		after: cursor,
	};
}
