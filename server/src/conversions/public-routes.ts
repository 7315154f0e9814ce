import express, { Router } from 'express';
import type { AppConfig } from '../config';
import type { Database } from '../db';
import { badRequest, HttpError } from '../http/errors';
import { asObject, onlyKnownFields } from '../http/validate';
import type { Logger } from '../log';
import { createClientAddress } from '../shared/client-address';
import { findClick } from './attribution';
import { readCookie } from './cookies';
import { checkOrigin, preflight } from './cors';
import { createRateLimiter } from '../shared/rate-limit';
import type { TrackingScript } from './script';
import { conversionLimitReached, keepForClick, recordConversion } from './store';
import { checkValueLimit, parseClickId, parseDetails } from './validate';

export interface ConversionPublicDeps {
	db: Database;
	log: Logger;
	config: Pick<
		AppConfig,
		'allowedOrigins' | 'collectRateLimit' | 'trustProxy' | 'conversionsPerClick' | 'conversionValueMax' | 'pendingConversionTtlSeconds' | 'pendingConversionsMax'
	>;
	script: TrackingScript;
}

// The smallest transparent 1×1 GIF.
const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const cookieName = 'sms_cid';
// Refusals a browser report answers without saying why: the page cannot act on the reason, and
// whoever probes the endpoint learns nothing about the limits.
const silentlyRefused = new Set(['value_over_limit', 'conversion_limit_reached']);

const pendingFull = () =>
	new HttpError(503, 'pending_conversions_full', 'Too many conversions are waiting for their clicks to be stored; try again in a minute (PENDING_CONVERSIONS_MAX)');

/**
 * Attributes and stores a conversion reported from a browser. The click id comes from the
 * report or, failing that, from the sms_cid cookie the redirect set on the tracking domain.
 * A click not stored yet (the redirect answers before its click reaches the database) does not
 * hold the request: the conversion is kept and stored with the click (pending).
 */
async function recordFromBrowser(
	db: Database,
	config: ConversionPublicDeps['config'],
	report: Record<string, unknown>,
	cookieHeader: string | undefined,
): Promise<{ duplicate: boolean; pending: boolean }> {
	const details = parseDetails(report);
	const rawClickId = report.clickId ?? readCookie(cookieHeader, cookieName);
	if (rawClickId === undefined || rawClickId === null) throw badRequest('No click id: the page was not opened through a tracked link', 'no_click_id');
	const clickId = parseClickId(rawClickId);
	checkValueLimit(details, config.conversionValueMax);
	const attribution = await findClick(db, clickId);
	if (attribution) {
		const { duplicate } = await recordConversion(db, attribution, details, true, config.conversionsPerClick);
		return { duplicate, pending: false };
	}
	const outcome = await keepForClick(db, clickId, details, {
		ttlSeconds: config.pendingConversionTtlSeconds,
		maxPending: config.pendingConversionsMax,
		perClick: config.conversionsPerClick,
	});
	if (outcome === 'limit_reached') throw conversionLimitReached(config.conversionsPerClick);
	if (outcome === 'full') throw pendingFull();
	return { duplicate: outcome === 'duplicate', pending: true };
}

/**
 * The public side, for landing pages: the script (/t.js), its beacon endpoint (/collect) and the
 * pixel (/c.gif), each mounted at its path by app.ts. Beacon and pixel share one rate limit.
 */
export function conversionPublicRoutes({ db, log, config, script }: ConversionPublicDeps): {
	trackingScript: Router;
	collect: Router;
	pixel: Router;
} {
	const limiter = createRateLimiter(config.collectRateLimit);
	const clientIp = createClientAddress(config.trustProxy);
	// Reports refused for a limit, counted per process and logged (without click id or address).
	let refused = 0;
	const countRefusal = (err: unknown, reqId: unknown): boolean => {
		if (!(err instanceof HttpError) || !silentlyRefused.has(err.code)) return false;
		refused++;
		log.warn('conversion report refused', { reqId, reason: err.code, refusedSinceStart: refused });
		return true;
	};
	// Reports refused because the pending table is full: answered 503 (beacon), counted and logged.
	let overflowed = 0;
	const countOverflow = (err: unknown, reqId: unknown): void => {
		if (!(err instanceof HttpError) || err.code !== 'pending_conversions_full') return;
		overflowed++;
		log.warn('conversion report refused: too many pending conversions', { reqId, overflowedSinceStart: overflowed });
	};

	const trackingScript = Router();
	trackingScript.get('/', (req, res) => {
		const versioned = req.query.v === script.version;
		res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
		res.setHeader('Cache-Control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
		res.setHeader('ETag', script.etag);
		res.setHeader('X-Content-Type-Options', 'nosniff');
		if (req.headers['if-none-match'] === script.etag) return void res.status(304).end();
		res.end(script.body);
	});

	const collect = Router();
	collect.options('/', (req, res) => preflight(req, res, config.allowedOrigins));
	collect.post(
		'/',
		(req, res, next) => {
			res.setHeader('Cache-Control', 'no-store');
			checkOrigin(req, res, config.allowedOrigins);
			const ip = clientIp(req);
			if (!limiter.take(ip)) {
				res.setHeader('Retry-After', String(limiter.retryAfterSeconds(ip)));
				throw new HttpError(429, 'rate_limited', 'Too many conversion reports from this address; try again later');
			}
			next();
		},
		// sendBeacon sends text/plain; fetch may send application/json. Both carry JSON.
		express.text({ type: ['text/plain', 'application/json'], limit: '4kb' }),
		async (req, res) => {
			if (typeof req.body !== 'string') throw new HttpError(415, 'unsupported_media_type', 'Send the conversion as JSON (text/plain or application/json)');
			let parsed: unknown;
			try {
				parsed = JSON.parse(req.body);
			} catch {
				throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON');
			}
			const report = asObject(parsed);
			onlyKnownFields(report, ['clickId', 'name', 'value', 'currency', 'idempotencyKey']);
			let result: { duplicate: boolean; pending: boolean };
			try {
				result = await recordFromBrowser(db, config, report, req.headers.cookie);
			} catch (err) {
				countOverflow(err, res.locals.reqId);
				if (err instanceof HttpError && err.code === 'pending_conversions_full') res.setHeader('Retry-After', '60');
				if (!countRefusal(err, res.locals.reqId)) throw err;
				return void res.status(202).json({ stored: false, duplicate: false });
			}
			// Deliberately no details: this endpoint is public and a conversion names a phone number.
			const { duplicate, pending } = result;
			if (duplicate) return void res.status(200).json({ stored: false, duplicate: true });
			if (pending) return void res.status(202).json({ stored: false, pending: true, duplicate: false });
			res.status(201).json({ stored: true, duplicate: false });
		},
	);

	const pixel = Router();
	pixel.get('/', async (req, res) => {
		try {
			// HEAD (Express answers it with this GET route) is a check, not a page view: no side effects.
			if (req.method === 'GET' && limiter.take(clientIp(req))) {
				const { sms_cid: clickId, name, value, currency, idempotencyKey } = req.query;
				await recordFromBrowser(db, config, { clickId, name, value, currency, idempotencyKey }, req.headers.cookie);
			}
		} catch (err) {
			countOverflow(err, res.locals.reqId);
			// The pixel answers the same whatever happened; bad input is simply not stored.
			if (!countRefusal(err, res.locals.reqId) && !(err instanceof HttpError)) log.warn('pixel conversion not stored', { reqId: res.locals.reqId, err });
		}
		res.setHeader('Content-Type', 'image/gif');
		res.setHeader('Cache-Control', 'no-store');
		res.setHeader('Content-Length', String(gif.length));
		res.end(gif);
	});

	return { trackingScript, collect, pixel };
}
