import express, { Router } from 'express';
import type { AppConfig } from '../config';
import type { Database } from '../db';
import { badRequest, HttpError, notFound } from '../http/errors';
import { asObject, onlyKnownFields } from '../http/validate';
import type { Logger } from '../log';
import { createClientAddress } from '../shared/client-address';
import { waitForClick } from './attribution';
import { readCookie } from './cookies';
import { checkOrigin, preflight } from './cors';
import { createRateLimiter } from '../shared/rate-limit';
import type { TrackingScript } from './script';
import { recordConversion } from './store';
import { checkValueLimit, parseClickId, parseDetails } from './validate';

export interface ConversionPublicDeps {
	db: Database;
	log: Logger;
	config: Pick<AppConfig, 'allowedOrigins' | 'collectRateLimit' | 'trustProxy' | 'conversionsPerClick' | 'conversionValueMax'>;
	script: TrackingScript;
	/** How long a beacon or pixel waits for its click to be committed by the redirect. */
	clickWaitMs?: number;
}

// The smallest transparent 1×1 GIF.
const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const cookieName = 'sms_cid';
// Refusals a browser report answers without saying why: the page cannot act on the reason, and
// whoever probes the endpoint learns nothing about the limits.
const silentlyRefused = new Set(['value_over_limit', 'conversion_limit_reached']);

/**
 * Attributes and stores a conversion reported from a browser. The click id comes from the
 * report or, failing that, from the sms_cid cookie the redirect set on the tracking domain.
 */
async function recordFromBrowser(
	db: Database,
	config: ConversionPublicDeps['config'],
	report: Record<string, unknown>,
	cookieHeader: string | undefined,
	clickWaitMs: number,
) {
	const details = parseDetails(report);
	const rawClickId = report.clickId ?? readCookie(cookieHeader, cookieName);
	if (rawClickId === undefined || rawClickId === null) throw badRequest('No click id: the page was not opened through a tracked link', 'no_click_id');
	const clickId = parseClickId(rawClickId);
	checkValueLimit(details, config.conversionValueMax);
	const attribution = await waitForClick(db, clickId, clickWaitMs);
	if (!attribution) throw notFound('No click with this id is recorded', 'click_not_found');
	return recordConversion(db, attribution, details, true, config.conversionsPerClick);
}

/**
 * The public side, for landing pages: the script (/t.js), its beacon endpoint (/collect) and the
 * pixel (/c.gif), each mounted at its path by app.ts. Beacon and pixel share one rate limit.
 */
export function conversionPublicRoutes({ db, log, config, script, clickWaitMs = 2000 }: ConversionPublicDeps): {
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
			let duplicate: boolean;
			try {
				({ duplicate } = await recordFromBrowser(db, config, report, req.headers.cookie, clickWaitMs));
			} catch (err) {
				if (!countRefusal(err, res.locals.reqId)) throw err;
				return void res.status(202).json({ stored: false, duplicate: false });
			}
			// Deliberately no details: this endpoint is public and a conversion names a phone number.
			res.status(duplicate ? 200 : 201).json({ stored: !duplicate, duplicate });
		},
	);

	const pixel = Router();
	pixel.get('/', async (req, res) => {
		try {
			// HEAD (Express answers it with this GET route) is a check, not a page view: no side effects.
			if (req.method === 'GET' && limiter.take(clientIp(req))) {
				const { sms_cid: clickId, name, value, currency, idempotencyKey } = req.query;
				await recordFromBrowser(db, config, { clickId, name, value, currency, idempotencyKey }, req.headers.cookie, clickWaitMs);
			}
		} catch (err) {
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
