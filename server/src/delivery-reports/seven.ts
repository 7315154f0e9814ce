import { HttpError } from '../http/errors';
import type { DeliveryOutcome } from '../messages/store';
import { sameSecret } from '../shared/constant-time';

/**
 * seven.io's callbacks (delivery reports, inbound SMS) carry the server's SEVEN_WEBHOOK_TOKEN in
 * the query string (never logged): a 403 unless it matches, compared in constant time.
 */
export function checkSevenToken(query: { token?: unknown }, expected: string): void {
	const token = typeof query.token === 'string' ? query.token : '';
	if (!sameSecret(token, expected))
		throw new HttpError(403, 'invalid_token', 'The token is not valid');
}

export interface SevenReport {
	msgId: string;
	status: string;
	occurredAt: Date;
}

/**
 * seven.io delivery reports come as its webhook event ({"webhook_event": "dlr", "data": {msg_id,
 * status, status_time}}) or as the plain status callback (msg_id, status, timestamp) — JSON or form.
 */
export function parseSevenReport(body: unknown): SevenReport | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const outer = body as Record<string, unknown>;
	const data = (
		typeof outer.data === 'object' && outer.data !== null ? outer.data : outer
	) as Record<string, unknown>;
	const msgId = data.msg_id ?? data.id;
	const status = data.status ?? data.dlr;
	if ((typeof msgId !== 'string' && typeof msgId !== 'number') || typeof status !== 'string')
		return undefined;
	if (!/^[A-Za-z0-9_-]{1,128}$/.test(String(msgId))) return undefined;
	const rawTime = data.status_time ?? data.timestamp ?? outer.webhook_timestamp;
	let occurredAt = new Date();
	if (typeof rawTime === 'number' || (typeof rawTime === 'string' && /^\d{9,11}$/.test(rawTime)))
		occurredAt = new Date(Number(rawTime) * 1000);
	else if (typeof rawTime === 'string' && !Number.isNaN(Date.parse(rawTime.replace(' ', 'T'))))
		occurredAt = new Date(rawTime.replace(' ', 'T'));
	// `!(… <= …)` also catches a time no Date can hold (status_time 1e300 gives NaN).
	if (!(Math.abs(occurredAt.getTime() - Date.now()) <= 366 * 24 * 3600 * 1000))
		occurredAt = new Date();
	return { msgId: String(msgId), status: status.toUpperCase(), occurredAt };
}

/** seven.io's report statuses that end a message's journey. */
export function sevenOutcome(status: string): DeliveryOutcome | undefined {
	if (status === 'DELIVERED') return 'delivered';
	if (['NOTDELIVERED', 'REJECTED', 'EXPIRED', 'FAILED'].includes(status)) return 'failed';
	return undefined; // BUFFERED, TRANSMITTED, ACCEPTED, UNKNOWN
}
