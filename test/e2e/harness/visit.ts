/** Real user agents, as phones and preview fetchers send them. */
export const userAgents = {
	iPhoneSafari:
		'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
	androidChrome:
		'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36',
	/** iMessage's link-preview fetcher: one fixed UA naming both facebookexternalhit and Twitterbot. */
	iMessagePreview:
		'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
};

/** A GET of a short link as a phone would make it (the redirect is not followed). */
export async function visit(shortUrl: string, userAgent: string): Promise<{ status: number; location: string | null }> {
	const res = await fetch(shortUrl, { redirect: 'manual', headers: { 'user-agent': userAgent } });
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
