import type { RequestHandler } from 'express';
import { createSecretMatcher } from '../shared/constant-time';
import { unauthorized } from './errors';

/** Bearer API-key check, in constant time (see shared/constant-time.ts). */
export function requireApiKey(apiKeys: string[]): RequestHandler {
	const isApiKey = createSecretMatcher(apiKeys);
	return (req, _res, next) => {
		const header = req.headers.authorization ?? '';
		const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
		if (!match) return next(unauthorized());
		return next(isApiKey(match[1]) ? undefined : unauthorized('The API key is not valid'));
	};
}
