import { badRequest } from '../http/errors';

export const maxUrlLength = 2048;

/**
 * Accepts only absolute http(s) URLs with a host: no javascript:, data:, relative or
 * protocol-relative destinations can ever be stored, so the redirect cannot be turned into an
 * open redirect or a script sink.
 */
export function parseDestination(value: unknown, field: string): string {
	if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${field} must be a non-empty URL string`, 'invalid_url');
	const raw = value.trim();
	if (raw.length > maxUrlLength) throw badRequest(`${field} must be at most ${maxUrlLength} characters`, 'invalid_url');
	if (!/^https?:\/\//i.test(raw)) throw badRequest(`${field} must be an absolute http:// or https:// URL`, 'invalid_url');
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw badRequest(`${field} is not a valid URL`, 'invalid_url');
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
		throw badRequest(`${field} must be an absolute http:// or https:// URL`, 'invalid_url');
	}
	if (url.username || url.password) throw badRequest(`${field} must not contain credentials`, 'invalid_url');
	return url.href;
}

export function parseOptionalHttpUrl(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	return parseDestination(value, field);
}
