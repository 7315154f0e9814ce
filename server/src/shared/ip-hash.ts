import { createHmac } from 'node:crypto';

/** Keyed hash of an IP (HMAC-SHA256 with the configured salt): comparable, not reversible without the salt. */
export function createIpHasher(salt: string | Buffer): (ip: string) => string {
	return (ip) => createHmac('sha256', salt).update(ip).digest('base64url').slice(0, 32);
}
