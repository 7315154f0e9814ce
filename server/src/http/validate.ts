import { isCurrency } from '../shared/currencies';
import { badRequest } from './errors';

/**
 * Small validators for the public conversion endpoints (/collect, /c.gif), which answer browsers
 * rather than API clients; /api/v1 validates with its schemas (schema.ts). Each failure is a 400
 * naming the field.
 */
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

export function optionalCurrency(obj: Json, key: string, field = key): string | undefined {
	const value = obj[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' || !isCurrency(value)) {
		throw badRequest(`${field} must be an ISO 4217 currency code such as EUR or USD`);
	}
	return value.toUpperCase();
}
