/**
 * Top-level paths served by the Express app even when they look like a short code
 * (e.g. /dashboard with CODE_LENGTH=9). Add a path here when adding a top-level route.
 */
export const reservedPaths: ReadonlySet<string> = new Set([
	'api',
	'healthz',
	'readyz',
	'metrics',
	'dashboard',
	'docs',
	'static',
	'assets',
	'public',
	'tracking',
	'collect',
	'conversions',
	'webhooks',
]);

/**
 * The code a GET or HEAD request asks for, or undefined when the request is not a redirect (so
 * it goes to the Express app). Only `/<code>` with exactly `codeLength` of [0-9A-Za-z], an
 * optional query string ignored.
 */
export function createCodeMatcher(
	codeLength: number,
): (method: string | undefined, url: string | undefined) => string | undefined {
	const pattern = new RegExp(`^/([0-9A-Za-z]{${codeLength}})(?:\\?|$)`);
	return (method, url) => {
		if ((method !== 'GET' && method !== 'HEAD') || !url) return undefined;
		const match = pattern.exec(url);
		if (!match || reservedPaths.has(match[1])) return undefined;
		return match[1];
	};
}
