import { createHmac } from 'node:crypto';
import { HttpError } from '../http/errors';
import { createSecretMatcher } from '../shared/constant-time';
import type { DeliveryOutcome } from '../messages/store';

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
	const expected = tokens.flatMap((token) =>
		urls.map((url) => twilioSignature(token, url, params)),
	);
	return createSecretMatcher(expected)(signature);
}

/** The URLs Twilio may have signed: the public base URL's, and the one this request arrived at. */
export function candidateUrls(
	req: { originalUrl: string; protocol: string; get(header: string): string | undefined },
	publicBaseUrl: string,
): string[] {
	return [
		...new Set([
			`${publicBaseUrl}${req.originalUrl}`,
			`${req.protocol}://${req.get('host')}${req.originalUrl}`,
		]),
	];
}

/** What a Twilio callback request gives the check: Express's request satisfies it. */
interface CallbackRequest {
	originalUrl: string;
	protocol: string;
	body: unknown;
	get(header: string): string | undefined;
}

/**
 * The form parameters of a Twilio callback (delivery report or inbound SMS) whose
 * X-Twilio-Signature matches one of the tokens; a 403 otherwise.
 */
export function verifiedTwilioParams(
	req: CallbackRequest,
	tokens: string[],
	publicBaseUrl: string,
): Record<string, string> {
	const signature = req.get('x-twilio-signature') ?? '';
	const params = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
		string,
		string
	>;
	if (
		!signature ||
		!isValidTwilioSignature(signature, tokens, candidateUrls(req, publicBaseUrl), params)
	)
		throw new HttpError(403, 'invalid_signature', 'The X-Twilio-Signature does not match');
	return params;
}

/** Twilio's MessageStatus values that end a message's journey. */
export function twilioOutcome(status: string | undefined): DeliveryOutcome | undefined {
	if (status === 'delivered' || status === 'read') return 'delivered';
	if (status === 'failed' || status === 'undelivered') return 'failed';
	return undefined; // queued, accepted, scheduled, sending, sent, receiving, received, canceled …
}
