import { badRequest } from '../http/errors';
import { optionalCurrency, type Json } from '../http/validate';

/** What a conversion says, whichever way it arrives (API, t.js beacon, pixel). */
export interface ConversionDetails {
	name: string;
	/** Decimal as a string with at most 4 places (numeric(18,4)), or null. */
	value: string | null;
	currency: string | null;
	idempotencyKey: string | null;
}

export const maxNameLength = 100;
export const maxIdempotencyKeyLength = 200;
const clickIdPattern = /^[A-Za-z0-9_-]{1,100}$/;
// Printable text only: no control characters (they would end up in webhooks and CSV exports).
const controlCharacters = /[\u0000-\u001f\u007f]/;
// numeric(18,4) leaves 14 digits before the point.
const maxValue = 99_999_999_999_999;

export function parseName(value: unknown, field = 'name'): string {
	if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${field} is required and must be a non-empty string`, 'invalid_name');
	const name = value.trim();
	if (name.length > maxNameLength) throw badRequest(`${field} must be at most ${maxNameLength} characters`, 'invalid_name');
	if (controlCharacters.test(name)) throw badRequest(`${field} must not contain control characters`, 'invalid_name');
	return name;
}

/** A decimal ≥ 0 given as a JSON number or a decimal string ("9.90"); rounded to 4 places. */
export function parseValue(value: unknown, field = 'value'): string | null {
	if (value === undefined || value === null) return null;
	let number: number;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) number = Number(value.trim());
	else throw badRequest(`${field} must be a decimal number of at least 0, such as 9.90`, 'invalid_value');
	if (!Number.isFinite(number) || number < 0) throw badRequest(`${field} must be a decimal number of at least 0, such as 9.90`, 'invalid_value');
	if (number > maxValue) throw badRequest(`${field} must be at most ${maxValue}`, 'invalid_value');
	return (Math.round(number * 10_000) / 10_000).toFixed(4).replace(/\.?0+$/, '') || '0';
}

export function parseCurrency(value: unknown, field = 'currency'): string | null {
	try {
		return optionalCurrency({ [field]: value }, field) ?? null;
	} catch {
		throw badRequest(`${field} must be an ISO 4217 currency code such as EUR or USD`, 'invalid_currency');
	}
}

export function parseIdempotencyKey(value: unknown, field = 'idempotencyKey'): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string' || value === '' || value.length > maxIdempotencyKeyLength || controlCharacters.test(value)) {
		throw badRequest(`${field} must be a string of 1 to ${maxIdempotencyKeyLength} printable characters`, 'invalid_idempotency_key');
	}
	return value;
}

export function parseClickId(value: unknown, field = 'clickId'): string {
	if (typeof value !== 'string' || !clickIdPattern.test(value)) {
		throw badRequest(`${field} must be the click id the redirect added to the landing page URL (sms_cid)`, 'invalid_click_id');
	}
	return value;
}

export function parseDetails(obj: Json): ConversionDetails {
	return {
		name: parseName(obj.name),
		value: parseValue(obj.value),
		currency: parseCurrency(obj.currency),
		idempotencyKey: parseIdempotencyKey(obj.idempotencyKey),
	};
}

export const valueOverLimit = (max: number) =>
	badRequest(`value must be at most ${max} (CONVERSION_VALUE_MAX)`, 'value_over_limit');

/** Refuses a value above the configured cap (CONVERSION_VALUE_MAX), whatever its currency. */
export function checkValueLimit(details: ConversionDetails, max: number): void {
	if (details.value !== null && Number(details.value) > max) throw valueOverLimit(max);
}
