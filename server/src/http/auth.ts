import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Response } from 'express';
import type { Database } from '../db';
import { grants, type Scope } from '../keys/scopes';
import { digestOf, findActiveKey, keyPattern } from '../keys/store';
import { createSecretMatcher } from '../shared/constant-time';
import type { AuthThrottle } from './auth-throttle';
import { HttpError, unauthorized } from './errors';

/** The key a request was authenticated with (res.locals.apiKey). */
export interface AuthenticatedKey {
	/** 'env' for API_KEY (or the generated local key); else the id of a key from /api/v1/keys. */
	id: string;
	scopes: Scope[];
}

export const envKeyId = 'env';

/**
 * Bearer API-key check for everything under /api/v1. API_KEY (or the generated local key) is an
 * admin key, compared in constant time (shared/constant-time.ts). Any other key is looked up by
 * its SHA-256 digest in api_keys on every request: one indexed read, and a revoked key stops
 * working at once on every instance, with no cache to expire or invalidate. (A lookup by digest
 * leaks through timing at most which digests are near the presented one, nothing about a key.)
 * Wrong keys are slowed down per client (auth-throttle.ts).
 */
export function authenticate(deps: {
	apiKeys: string[];
	db: Database;
	throttle: AuthThrottle;
	clientAddress: (req: IncomingMessage) => string;
}): RequestHandler {
	const isEnvKey = createSecretMatcher(deps.apiKeys);
	return async (req, res, next) => {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
		if (!match) return next(unauthorized());
		const ip = deps.clientAddress(req);
		const wait = deps.throttle.waitMs(ip);
		if (wait > 0) return next(tooManyFailures(res, deps.throttle.fail(ip)));
		const presented = match[1];
		let key: AuthenticatedKey | undefined;
		if (isEnvKey(presented)) key = { id: envKeyId, scopes: ['admin'] };
		else if (keyPattern.test(presented)) key = await findActiveKey(deps.db, digestOf(presented));
		if (!key) {
			const delay = deps.throttle.fail(ip);
			return next(
				delay > 0 ? tooManyFailures(res, delay) : unauthorized('The API key is not valid'),
			);
		}
		res.locals.apiKey = { id: key.id, scopes: key.scopes } satisfies AuthenticatedKey;
		next();
	};
}

function tooManyFailures(res: Response, delayMs: number): HttpError {
	const seconds = Math.max(1, Math.ceil(delayMs / 1000));
	res.setHeader('Retry-After', String(seconds));
	return new HttpError(
		429,
		'too_many_failures',
		`Too many wrong API keys from this address: try again in ${seconds} s`,
	);
}

/** The pseudo-scope of routes any valid key may use (a key asking what it is). */
export const authenticated = 'authenticated' as const;

export type RouteScope = Scope | typeof authenticated;

const scopeMark = Symbol('scope');

/** Whether a handler is a scope guard, and which scope it needs (the route walk in the tests reads it). */
export const scopeOf = (handler: unknown): RouteScope | undefined =>
	(handler as { [scopeMark]?: RouteScope } | undefined)?.[scopeMark];

export const forbidden = (needed: Scope) =>
	new HttpError(
		403,
		'forbidden',
		`This API key lacks the "${needed}" scope this request needs (an admin key may do everything)`,
	);

/** Throws 403 unless the request's key holds `needed` (or admin): for a part of a route that needs more. */
export function assertScope(res: Response, needed: Scope): void {
	const key = res.locals.apiKey as AuthenticatedKey | undefined;
	if (!key || !grants(key.scopes, needed)) throw forbidden(needed);
}

/** The first handler of every /api/v1 route: declares and enforces the scope the route needs. */
// Typed loosely so that the route's own handler still infers its path parameters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function requireScope(needed: RouteScope): RequestHandler<any, any, any, any> {
	const guard: RequestHandler = (_req, res, next) => {
		if (needed === authenticated) return next(res.locals.apiKey ? undefined : unauthorized());
		assertScope(res, needed);
		next();
	};
	return Object.assign(guard, { [scopeMark]: needed });
}
