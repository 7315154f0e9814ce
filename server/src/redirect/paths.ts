import { reservedPaths } from '../mounts';

/**
 * The code a GET or HEAD request asks for, or undefined when the request is not a redirect (so
 * it goes to the Express app). Only `/<code>` with exactly `codeLength` of [0-9A-Za-z], an
 * optional query string ignored, and none of the app's own top-level paths (mounts.ts).
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
