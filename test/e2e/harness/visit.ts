import { userAgents as known } from '../../support/user-agents';

/** The user agents the scenarios browse with: phones, and iMessage's link-preview fetcher. */
export const userAgents = {
	iPhoneSafari: known.safariIphone,
	androidChrome: known.chromeAndroid,
	iMessagePreview: known.iMessage,
};

/**
 * A GET of a short link as a phone would make it (the redirect is not followed). `country`: the
 * visitor's country as the trusted proxy in front of the tracking server names it (cf-ipcountry,
 * the COUNTRY_HEADER the harness configures).
 */
export async function visit(
	shortUrl: string,
	userAgent: string,
	country?: string,
): Promise<{ status: number; location: string | null }> {
	const headers: Record<string, string> = {
		'user-agent': userAgent,
		...(country ? { 'cf-ipcountry': country } : {}),
	};
	const res = await fetch(shortUrl, { redirect: 'manual', headers });
	await res.arrayBuffer();
	return { status: res.status, location: res.headers.get('location') };
}

/** The short links of the tracking server in an SMS text (with or without the scheme). */
export function shortLinksIn(text: string, trackingUrl: string): string[] {
	const host = trackingUrl.replace(/^https?:\/\//, '');
	const pattern = new RegExp(`(?:https?://)?${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([A-Za-z0-9]+)`, 'g');
	return [...text.matchAll(pattern)].map((m) => `${trackingUrl}/${m[1]}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
