import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks: symmetric secrets are `whsec_` + base64 of 24–64 random bytes. */
export const secretPrefix = 'whsec_';

export function generateSecret(): string {
	return secretPrefix + randomBytes(32).toString('base64');
}

/** The HMAC key is the base64-decoded part after the prefix, not the text of the secret. */
export function secretKey(secret: string): Buffer {
	return Buffer.from(secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret, 'base64');
}

/**
 * `webhook-signature` value for one attempt: `v1,` + base64 HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{body}`.
 */
export function sign(key: Buffer, id: string, timestamp: number, body: string): string {
	return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}
