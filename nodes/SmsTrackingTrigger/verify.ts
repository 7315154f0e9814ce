import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a webhook's timestamp may be from now, either way (replay protection). */
export const toleranceSeconds = 5 * 60;

export type Verification = { ok: true; id: string } | { ok: false; reason: string };

/**
 * Standard Webhooks verification: the HMAC-SHA256 of `{id}.{timestamp}.{raw body}` under the
 * base64-decoded part of the `whsec_` secret must equal one of the space-separated `v1,`
 * signatures (several during a secret rotation), compared in constant time; the timestamp must be
 * within five minutes of now.
 */
export function verifyWebhook(
	secret: string,
	headers: Record<string, string | string[] | undefined>,
	rawBody: Buffer | string,
	nowSeconds: number,
): Verification {
	const id = single(headers['webhook-id']);
	const timestamp = single(headers['webhook-timestamp']);
	const signatures = single(headers['webhook-signature']);
	if (!id || !timestamp || !signatures)
		return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
	if (!/^\d{1,12}$/.test(timestamp))
		return { ok: false, reason: 'webhook-timestamp is not a Unix time in seconds' };
	if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds)
		return { ok: false, reason: 'webhook-timestamp is outside the 5-minute window' };
	if (id.includes('.')) return { ok: false, reason: 'webhook-id is malformed' };

	const key = Buffer.from(
		secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret,
		'base64',
	);
	const expected = createHmac('sha256', key)
		.update(`${id}.${timestamp}.`)
		.update(typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody)
		.digest();
	let matched = false;
	for (const entry of signatures.split(' ')) {
		const comma = entry.indexOf(',');
		if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
		const presented = Buffer.from(entry.slice(comma + 1), 'base64');
		// Every candidate is compared (no early exit), each in constant time.
		if (presented.length === expected.length && timingSafeEqual(presented, expected))
			matched = true;
	}
	return matched ? { ok: true, id } : { ok: false, reason: 'no signature matches' };
}

function single(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}
