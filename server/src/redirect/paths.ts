import { reservedPaths } from '../mounts';

/**
 * Punctuation a sloppy copy of a link out of a sentence takes along: "(see go.shop/Ab3dE7xQ)."
 * None of it can be part of a code, so it is dropped.
 */
const trailingPunctuation = '[).,!;]*';

/**
 * What a GET or HEAD request asks the redirect for:
 * - the code, for `/<code>` with exactly `codeLength` of [0-9A-Za-z], optionally followed by
 *   trailing punctuation (above) and a query string (ignored);
 * - null for any other path outside the app's own top-level paths (mounts.ts): a truncated code,
 *   one of the wrong length, a stray path; the redirect answers it as it answers an unknown code;
 * - undefined when the request is not for the redirect (another method, or one of the app's
 *   paths), so it goes to the Express app.
 */
export function createCodeMatcher(
	codeLength: number,
): (method: string | undefined, url: string | undefined) => string | null | undefined {
	const pattern = new RegExp(`^/([0-9A-Za-z]{${codeLength}})${trailingPunctuation}(?:\\?|$)`);
	return (method, url) => {
		if ((method !== 'GET' && method !== 'HEAD') || !url) return undefined;
		const rest = url.slice(1);
		const cut = rest.search(/[/?]/);
		if (reservedPaths.has(cut === -1 ? rest : rest.slice(0, cut))) return undefined;
		return pattern.exec(url)?.[1] ?? null;
	};
}
