import { badRequest } from '../http/errors';
import {
	asObject,
	onlyKnownFields,
	optionalNumber,
	optionalString,
	requiredArray,
} from '../http/validate';
import { normalisePhone } from '../shared/phone';
import { parseTimeZone } from '../stats/time-zone';

/** Recipients per request: the node asks once per 10,000. */
export const maxRecipientsPerRequest = 10_000;

export interface SendTimesRequest {
	recipients: string[];
	/** 'recipient': each recipient's own zone (from the calling code); else one IANA zone for all. */
	timeZone: 'recipient' | string;
	minClicks: number;
	defaultHour: number;
	campaignId?: string;
}

function integer(
	body: Record<string, unknown>,
	key: string,
	min: number,
	max: number,
	fallback: number,
): number {
	const value = optionalNumber(body, key, { min, max });
	if (value === undefined) return fallback;
	if (!Number.isInteger(value)) throw badRequest(`${key} must be a whole number`);
	return value;
}

export function parseSendTimesRequest(
	value: unknown,
	defaultCallingCode: string | undefined,
): SendTimesRequest {
	const body = asObject(value);
	onlyKnownFields(body, ['recipients', 'timeZone', 'minClicks', 'defaultHour', 'campaignId']);
	const recipients = requiredArray(body, 'recipients', {
		min: 1,
		max: maxRecipientsPerRequest,
	}).map((r, i) => normalisePhone(r, defaultCallingCode, `recipients[${i}]`));
	const zone = body.timeZone ?? 'recipient';
	return {
		recipients,
		// parseTimeZone reads '' as UTC; here an empty zone is a mistake, so it is refused
		timeZone: zone === 'recipient' ? 'recipient' : parseTimeZone(zone === '' ? null : zone),
		minClicks: integer(body, 'minClicks', 1, 1000, 3),
		defaultHour: integer(body, 'defaultHour', 0, 23, 10),
		campaignId: optionalString(body, 'campaignId', 100),
	};
}
