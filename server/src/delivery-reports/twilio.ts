import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Outcome } from './store';

/**
 * Twilio's request signature (X-Twilio-Signature): Base64 of HMAC-SHA1, keyed with the account's
 * auth token, over the full URL Twilio called followed by every POST parameter's name and value,
 * sorted by name.
 */
export function twilioSignature(
	authToken: string,
	url: string,
	params: Record<string, string>,
): string {
	const data = Object.keys(params)
		.sort()
		.reduce((acc, key) => acc + key + params[key], url);
	return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Whether the signature matches for any of the tokens and candidate URLs (constant-time per comparison). */
export function isValidTwilioSignature(
	signature: string,
	tokens: string[],
	urls: string[],
	params: Record<string, string>,
): boolean {
	const presented = Buffer.from(signature, 'utf8');
	let valid = false;
	for (const token of tokens) {
		for (const url of urls) {
			const expected = Buffer.from(twilioSignature(token, url, params), 'utf8');
			if (expected.length === presented.length && timingSafeEqual(expected, presented))
				valid = true;
		}
	}
	return valid;
}

/** Twilio's MessageStatus values that end a message's journey. */
export function twilioOutcome(status: string | undefined): Outcome | undefined {
	if (status === 'delivered' || status === 'read') return 'delivered';
	if (status === 'failed' || status === 'undelivered') return 'failed';
	return undefined; // queued, accepted, scheduled, sending, sent, receiving, received, canceled …
}
