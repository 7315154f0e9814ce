import type { TestServer } from './server';

/** A browser's user agent, for requests that must count as clicks (Node's fetch says "node": a bot). */
export const chromeOnAndroid =
	'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

/** Creates a campaign and one short link per (recipient, url); returns the campaign id and the codes in order. */
export async function createCampaignWithLinks(
	server: Pick<TestServer, 'api'>,
	campaign: Record<string, unknown>,
	recipients: Array<{ recipient: string; urls: string[]; variant?: string }>,
	expiresAt?: string,
): Promise<{ campaignId: string; codes: string[] }> {
	const created = await server.api('POST', '/api/v1/campaigns', { name: 'redirect test', ...campaign });
	if (created.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(created.body)}`);
	const links = await server.api('POST', `/api/v1/campaigns/${created.body.id}/links`, { recipients, ...(expiresAt ? { expiresAt } : {}) });
	if (links.status !== 200) throw new Error(`links not created: ${JSON.stringify(links.body)}`);
	return { campaignId: created.body.id, codes: links.body.links.map((l: { code: string }) => l.code) };
}

export interface Hit {
	status: number;
	location: string | null;
	headers: Headers;
	body: string;
}

/** One request to a short link, not following the redirect. */
export async function hit(url: string, opts: { userAgent?: string; method?: string; headers?: Record<string, string> } = {}): Promise<Hit> {
	const headers: Record<string, string> = { ...opts.headers };
	if (opts.userAgent !== undefined) headers['user-agent'] = opts.userAgent;
	const res = await fetch(url, { method: opts.method ?? 'GET', headers, redirect: 'manual' });
	return { status: res.status, location: res.headers.get('location'), headers: res.headers, body: await res.text() };
}
