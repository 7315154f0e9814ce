import type { ServerResponse } from 'node:http';

const page = (title: string, text: string) =>
	`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
	`<meta name="robots" content="noindex"><title>${title}</title>` +
	`<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#333}</style></head>` +
	`<body><h1>${title}</h1><p>${text}</p></body></html>`;

const notFoundPage = Buffer.from(
	page('Link not found', 'This link does not exist or is no longer valid.'),
);
const unavailablePage = Buffer.from(
	page(
		'Temporarily unavailable',
		'This link cannot be opened right now. Please try again in a minute.',
	),
);

function send(
	res: ServerResponse,
	method: string | undefined,
	status: number,
	body: Buffer,
	extra: Record<string, string> = {},
): void {
	res.writeHead(status, {
		'content-type': 'text/html; charset=utf-8',
		'content-length': body.length,
		'cache-control': 'private, no-store',
		'x-robots-tag': 'noindex',
		...extra,
	});
	res.end(method === 'HEAD' ? undefined : body);
}

/** The small page for unknown and expired codes when no fallback URL is configured. */
export const sendNotFound = (res: ServerResponse, method: string | undefined) =>
	send(res, method, 404, notFoundPage);

/** The answer when a code is not cached and the database, or the event's safe keeping, fails. */
export const sendUnavailable = (res: ServerResponse, method: string | undefined) =>
	send(res, method, 503, unavailablePage, { 'retry-after': '30' });
