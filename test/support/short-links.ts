import { journalsLoaded, type TestServer } from './server';

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
	const created = await server.api('POST', '/api/v1/campaigns', {
		name: 'redirect test',
		...campaign,
	});
	if (created.status !== 201)
		throw new Error(`campaign not created: ${JSON.stringify(created.body)}`);
	const links = await server.api('POST', `/api/v1/campaigns/${created.body.id}/links`, {
		recipients,
		...(expiresAt ? { expiresAt } : {}),
	});
	if (links.status !== 200) throw new Error(`links not created: ${JSON.stringify(links.body)}`);
	return {
		campaignId: created.body.id,
		codes: links.body.links.map((l: { code: string }) => l.code),
	};
}

export interface Hit {
	status: number;
	location: string | null;
	headers: Headers;
	body: string;
}

/**
 * One request to a short link, not following the redirect. Then, unless `loaded` is false, waits
 * until the servers of this process have loaded their click journals: the hit's event is stored.
 */
export async function hit(
	url: string,
	opts: {
		userAgent?: string;
		method?: string;
		headers?: Record<string, string>;
		loaded?: boolean;
	} = {},
): Promise<Hit> {
	const headers: Record<string, string> = { ...opts.headers };
	if (opts.userAgent !== undefined) headers['user-agent'] = opts.userAgent;
	const res = await fetch(url, { method: opts.method ?? 'GET', headers, redirect: 'manual' });
	const answer = {
		status: res.status,
		location: res.headers.get('location'),
		headers: res.headers,
		body: await res.text(),
	};
	if (opts.loaded !== false) await journalsLoaded();
	return answer;
}

export interface LoadResult {
	/** Click ids of the redirects that were answered with 302 (the promise the server made). */
	answered: string[];
	/** Status counts of everything else that got an answer. */
	otherStatuses: Record<number, number>;
	/** Requests that got no answer (connection refused or cut). */
	failed: number;
}

/**
 * Clicks on the given short URLs from `workers` concurrent loops until stop(result so far) returns
 * true (or maxRequests is reached), with a browser UA, on a campaign with conversion tracking so every
 * answered click names its click id.
 */
export async function clickLoad(
	urls: string[],
	opts: { workers: number; stop: (sofar: LoadResult) => boolean; maxRequests: number },
): Promise<LoadResult> {
	const result: LoadResult = { answered: [], otherStatuses: {}, failed: 0 };
	let sent = 0;
	const worker = async (w: number) => {
		for (let i = w; !opts.stop(result) && sent < opts.maxRequests; i += opts.workers) {
			sent++;
			try {
				const res = await hit(urls[i % urls.length], { userAgent: chromeOnAndroid, loaded: false });
				const clickId =
					res.status === 302 && res.location
						? new URL(res.location).searchParams.get('sms_cid')
						: null;
				if (clickId) result.answered.push(clickId);
				else result.otherStatuses[res.status] = (result.otherStatuses[res.status] ?? 0) + 1;
			} catch {
				result.failed++;
				await new Promise((r) => setTimeout(r, 20));
			}
		}
	};
	await Promise.all(Array.from({ length: opts.workers }, (_, w) => worker(w)));
	return result;
}
