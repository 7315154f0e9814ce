import { badRequest } from './errors';

/** Small, explicit validators for request bodies. Each failure is a 400 naming the field. */
export type Json = Record<string, unknown>;

export function asObject(value: unknown, field = 'body'): Json {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw badRequest(`${field} must be a JSON object`);
	}
	return value as Json;
}

export function onlyKnownFields(obj: Json, known: readonly string[], field = 'body'): void {
	const unknown = Object.keys(obj).filter((key) => !known.includes(key));
	if (unknown.length) throw badRequest(`${field} has unknown field(s): ${unknown.join(', ')}`);
}

export function requiredString(obj: Json, key: string, max = 200, field = key): string {
	const value = obj[key];
	if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${field} is required and must be a non-empty string`);
	if (value.length > max) throw badRequest(`${field} must be at most ${max} characters`);
	return value.trim();
}

export function optionalString(obj: Json, key: string, max = 200, field = key): string | undefined {
	if (obj[key] === undefined || obj[key] === null) return undefined;
	return requiredString(obj, key, max, field);
}

export function optionalBoolean(obj: Json, key: string, field = key): boolean | undefined {
	const value = obj[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'boolean') throw badRequest(`${field} must be true or false`);
	return value;
}

export function optionalNumber(obj: Json, key: string, opts: { min?: number; max?: number } = {}, field = key): number | undefined {
	const value = obj[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`${field} must be a number`);
	if (opts.min !== undefined && value < opts.min) throw badRequest(`${field} must be at least ${opts.min}`);
	if (opts.max !== undefined && value > opts.max) throw badRequest(`${field} must be at most ${opts.max}`);
	return value;
}

export function requiredArray(obj: Json, key: string, opts: { min?: number; max?: number } = {}, field = key): unknown[] {
	const value = obj[key];
	if (!Array.isArray(value)) throw badRequest(`${field} is required and must be an array`);
	if (opts.min !== undefined && value.length < opts.min) throw badRequest(`${field} must have at least ${opts.min} element(s)`);
	if (opts.max !== undefined && value.length > opts.max) throw badRequest(`${field} must have at most ${opts.max} elements`);
	return value;
}

export function optionalDate(obj: Json, key: string, field = key): Date | undefined {
	const value = obj[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
		throw badRequest(`${field} must be an ISO 8601 date-time such as 2026-12-31T23:59:00Z`);
	}
	return new Date(value);
}

/** ISO 4217 codes as far as the runtime's Intl knows them (all active currencies). */
const currencies = new Set<string>((Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency'));

export function optionalCurrency(obj: Json, key: string, field = key): string | undefined {
	const value = obj[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' || !currencies.has(value.toUpperCase())) {
		throw badRequest(`${field} must be an ISO 4217 currency code such as EUR or USD`);
	}
	return value.toUpperCase();
}
