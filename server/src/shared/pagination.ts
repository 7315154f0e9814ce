import { badRequest } from '../http/errors';

/**
 * A page size from the query string: digits only (no 1e2, 2.0 or -1), from 1 to `max`; absent or
 * empty: `fallback`. Anything else is a 400 naming the parameter.
 */
export function parsePageLimit(
	value: unknown,
	{ fallback, max }: { fallback: number; max: number },
	field = 'limit',
): number {
	if (value === undefined || value === '') return fallback;
	const limit = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
	if (!(limit >= 1 && limit <= max))
		throw badRequest(`${field} must be a whole number from 1 to ${max}`);
	return limit;
}
