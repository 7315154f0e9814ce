import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { unauthorized } from './errors';

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer API-key check. Only SHA-256 digests of the keys are kept, and digests are compared
 * with timingSafeEqual, so neither the key's length nor its content leaks through timing.
 */
export function requireApiKey(apiKeys: string[]): RequestHandler {
	const digests = apiKeys.map(sha256);
	return (req, _res, next) => {
		const header = req.headers.authorization ?? '';
		const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
		if (!match) return next(unauthorized());
		const presented = sha256(match[1]);
		let ok = false;
		for (const digest of digests) ok = timingSafeEqual(digest, presented) || ok;
		return next(ok ? undefined : unauthorized('The API key is not valid'));
	};
}
