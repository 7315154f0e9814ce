import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * A check of a presented secret against the expected ones. Only SHA-256 digests are kept and
 * compared, with timingSafeEqual and without stopping at the first match, so neither the secrets'
 * length nor their content leaks through timing.
 */
export function createSecretMatcher(expected: readonly string[]): (presented: string) => boolean {
	const digests = expected.map(sha256);
	return (presented) => {
		const digest = sha256(presented);
		let ok = false;
		for (const candidate of digests) ok = timingSafeEqual(candidate, digest) || ok;
		return ok;
	};
}

/** Whether two secrets are equal, compared in constant time. */
export const sameSecret = (presented: string, expected: string) =>
	createSecretMatcher([expected])(presented);
