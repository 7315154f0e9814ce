import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RedirectConfig } from '../config';
import type { NewEvent } from '../events/types';
import type { Logger } from '../log';
import type { RedirectOutcome } from '../metrics/outcomes';
import { createNetworkHasher } from '../shared/ip-hash';
import { newClickId } from '../shared/ids';
import type { Classification } from './classify';
import { countryFrom, optsOut } from './client';
import type { EventRecorder } from './event-recorder';
import type { CachedLink, LinkCache } from './link-cache';
import { sendNotFound, sendUnavailable } from './pages';
import type { RecordingCap } from './recording-cap';
import { appendParams, clickIdParam } from './target-url';

export interface RedirectHandlerDeps {
	config: RedirectConfig & { fallbackUrl?: string; publicBaseUrl: string };
	links: LinkCache;
	recorder: EventRecorder;
	recordingCap: RecordingCap;
	classify: (method: string, userAgent: string | undefined) => Classification;
	clientAddress: (req: IncomingMessage) => string;
	log: Logger;
	/** Told how each hit ended and how long it took (the metrics' redirect counter and histogram). */
	redirectOutcome?: (outcome: RedirectOutcome, seconds: number) => void;
}

const maxStoredUserAgent = 512;
let requestCounter = 0;

/**
 * The redirect, on plain node:http (no Express on this path: it is the hot one).
 * Known, unexpired code: 302 to its destination once the hit's event is journalled (or, failing
 * that, committed; see event-recorder.ts for neither). Unknown or expired
 * (or no code at all, null: see paths.ts): the campaign's fallback, else FALLBACK_URL, else a
 * small 404 page; never anywhere else.
 */
export function createRedirectHandler(
	deps: RedirectHandlerDeps,
): (req: IncomingMessage, res: ServerResponse, code: string | null) => void {
	const { config, links, recorder, recordingCap, classify, clientAddress, log } = deps;
	const redirectOutcome = deps.redirectOutcome ?? (() => undefined);
	const hashIp = createNetworkHasher(config.ipHashSalt);
	const secure = config.publicBaseUrl.startsWith('https:');
	const cookieAttributes =
		`; Max-Age=${config.clickCookieDays * 86_400}; Path=/; SameSite=Lax; HttpOnly` +
		(secure ? '; Secure' : '') +
		(config.cookieDomain ? `; Domain=${config.cookieDomain}` : '');

	const finish = (
		req: IncomingMessage,
		res: ServerResponse,
		code: string | null,
		started: number,
		type: RedirectOutcome,
	) => {
		const ms = performance.now() - started;
		redirectOutcome(type, ms / 1000);
		log.info('redirect', {
			reqId: `r${(++requestCounter).toString(36)}`,
			method: req.method,
			path: code === null ? '(no code)' : `/${code}`,
			status: res.statusCode,
			type,
			ms: Math.round(ms * 100) / 100,
		});
	};

	const redirectTo = (res: ServerResponse, location: string, cookie?: string) => {
		const headers: Record<string, string> = {
			location,
			'cache-control': 'private, no-store',
			'content-length': '0',
		};
		if (cookie) headers['set-cookie'] = cookie;
		res.writeHead(302, headers);
		res.end();
	};

	async function handle(
		req: IncomingMessage,
		res: ServerResponse,
		code: string | null,
		started: number,
	): Promise<void> {
		let link: CachedLink | null = null;
		if (code !== null) {
			try {
				const cached = links.get(code);
				link = cached instanceof Promise ? await cached : cached;
			} catch (err) {
				log.warn('code lookup failed: database unreachable and code not cached', { err });
				sendUnavailable(res, req.method);
				return finish(req, res, code, started, 'unavailable');
			}
		}

		const now = Date.now();
		if (!link || (link.expiresAt !== null && now >= link.expiresAt)) {
			const fallback = (link && link.fallbackUrl) || config.fallbackUrl;
			if (fallback) redirectTo(res, fallback);
			else sendNotFound(res, req.method);
			return finish(req, res, code, started, link ? 'expired' : 'unknown');
		}

		const hit = classify(req.method ?? 'GET', req.headers['user-agent']);
		const anonymous = config.doNotTrack !== 'ignore' && optsOut(req);
		if (anonymous && config.doNotTrack === 'skip') {
			redirectTo(res, link.target);
			return finish(req, res, code, started, 'untracked');
		}
		// Before the event exists: a capped hit costs no click id, no recorder slot, no webhook.
		const ip = clientAddress(req);
		if (!recordingCap.admit(ip, link.code)) {
			redirectTo(res, link.target);
			return finish(req, res, code, started, 'capped');
		}

		const clickId = hit.type === 'click' && !anonymous ? newClickId() : null;
		// An anonymous hit (DO_NOT_TRACK=anonymous, docs/security.md#do-not-track) keeps what counts it
		// in the campaign's figures and nothing about who or what made it: no recipient, no code (a
		// code leads to the number), no device, no webhook (webhooks/outbox.ts sends none without a
		// recipient).
		const event: NewEvent = anonymous
			? {
					eventKey: `${hit.type}_${newClickId()}`,
					type: hit.type,
					occurredAt: new Date(now),
					campaignId: link.campaignId,
					variant: link.variant,
					wave: link.wave,
					url: link.destination,
				}
			: {
					eventKey: clickId ? `click_${clickId}` : `${hit.type}_${newClickId()}`,
					type: hit.type,
					occurredAt: new Date(now),
					campaignId: link.campaignId,
					code: link.code,
					recipient: link.recipient,
					variant: link.variant,
					wave: link.wave,
					url: link.destination,
					clickId,
					deviceType: hit.deviceType,
					os: hit.os,
					browser: hit.type === 'view' ? hit.fetcher : hit.browser,
				};
		if (!anonymous) {
			const ua = req.headers['user-agent'];
			if (ua) event.userAgent = ua.slice(0, maxStoredUserAgent);
			event.country = countryFrom(req, config.countryHeader);
			if (ip) {
				event.ipHash = hashIp(ip);
				if (config.storeRawIp) event.ip = ip;
			}
		}

		// Never rejects: an event neither the journal nor PostgreSQL takes is counted, and the
		// recipient still gets the 302 (event-recorder.ts).
		await recorder.record(event);

		if (clickId && link.conversionTracking) {
			const location = appendParams(link.target, [[clickIdParam, clickId]], [clickIdParam]);
			const cookie =
				config.clickCookieDays > 0 ? `${clickIdParam}=${clickId}${cookieAttributes}` : undefined;
			redirectTo(res, location, cookie);
		} else {
			redirectTo(res, link.target);
		}
		finish(req, res, code, started, hit.type);
	}

	return (req, res, code) => {
		const started = performance.now();
		handle(req, res, code, started).catch((err) => {
			log.error('redirect failed', { err });
			redirectOutcome('unavailable', (performance.now() - started) / 1000);
			if (!res.headersSent) sendUnavailable(res, req.method);
			else res.end();
		});
	};
}
