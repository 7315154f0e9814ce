import type { Request, Response } from 'express';
import { HttpError } from '../http/errors';

/**
 * CORS for the beacon endpoint. With ALLOWED_ORIGINS set, only those landing-page origins may post
 * (others get 403 and nothing is stored) and only they get CORS headers, with credentials so the
 * tracking domain's sms_cid cookie travels. Without it, browsers may post from any page (t.js
 * sends text/plain, which needs no preflight) but no CORS headers are sent at all. Requests
 * without an Origin header are not from a browser page and are not restricted by it.
 */
export function checkOrigin(req: Request, res: Response, allowedOrigins: readonly string[]): void {
	res.vary('Origin');
	const origin = req.headers.origin;
	if (allowedOrigins.length === 0 || origin === undefined) return;
	if (!allowedOrigins.includes(origin)) {
		throw new HttpError(403, 'origin_not_allowed', 'This page origin may not report conversions (see ALLOWED_ORIGINS)');
	}
	res.setHeader('Access-Control-Allow-Origin', origin);
	res.setHeader('Access-Control-Allow-Credentials', 'true');
}

/** Answers a CORS preflight for POST with a JSON body. */
export function preflight(req: Request, res: Response, allowedOrigins: readonly string[]): void {
	checkOrigin(req, res, allowedOrigins);
	if (!res.getHeader('Access-Control-Allow-Origin')) {
		throw new HttpError(403, 'origin_not_allowed', 'Cross-origin JSON requests need the page origin in ALLOWED_ORIGINS');
	}
	res.setHeader('Access-Control-Allow-Methods', 'POST');
	res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
	res.setHeader('Access-Control-Max-Age', '600');
	res.status(204).end();
}
