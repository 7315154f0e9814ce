import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';
import { Lru } from '../shared/lru';
import { previewFetcher } from './preview-fetchers';

export type HitType = 'click' | 'view' | 'bot';

export interface Classification {
	type: HitType;
	/** mobile, tablet, desktop, console, smarttv, wearable, embedded; null for views and bots. */
	deviceType: string | null;
	os: string | null;
	browser: string | null;
	/** The preview app for views (WhatsApp, iMessage …); null otherwise. */
	fetcher: string | null;
}

const maxUserAgentLength = 512;

function parseDevice(ua: string): Pick<Classification, 'deviceType' | 'os' | 'browser'> {
	const parsed = new UAParser(ua).getResult();
	return {
		// ua-parser-js leaves the type empty for desktops and laptops.
		deviceType: parsed.device.type ?? (parsed.os.name || parsed.browser.name ? 'desktop' : null),
		os: parsed.os.name ?? null,
		browser: parsed.browser.name ?? null,
	};
}

/**
 * Classifies one hit on a short link:
 * - view: a link-preview fetcher (the message was displayed on a phone or in a chat app);
 * - bot: HEAD requests, an empty user agent, crawlers, scanners and HTTP libraries (isbot's list);
 * - click: everything else, with device type, OS and browser from the user agent.
 */
export function classify(method: string, userAgent: string | undefined): Classification {
	const ua = (userAgent ?? '').slice(0, maxUserAgentLength);
	// HEAD first: some preview fetchers probe with HEAD before their GET, which is the view.
	if (method === 'HEAD')
		return { type: 'bot', deviceType: null, os: null, browser: null, fetcher: null };
	const fetcher = ua ? previewFetcher(ua) : undefined;
	if (fetcher) return { type: 'view', deviceType: null, os: null, browser: null, fetcher };
	if (ua.trim() === '' || isbot(ua))
		return { type: 'bot', deviceType: null, os: null, browser: null, fetcher: null };
	return { type: 'click', ...parseDevice(ua), fetcher: null };
}

/** classify() with a bounded memo: the same few user agents make most of the traffic. */
export function createClassifier(
	size = 2000,
): (method: string, userAgent: string | undefined) => Classification {
	const memo = new Lru<string, Classification>(size);
	return (method, userAgent) => {
		const key = `${method === 'HEAD' ? 'H' : 'G'}${(userAgent ?? '').slice(0, maxUserAgentLength)}`;
		let result = memo.get(key);
		if (!result) {
			result = classify(method, userAgent);
			memo.set(key, result);
		}
		return result;
	};
}
