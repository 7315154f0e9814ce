import { badRequest } from '../http/errors';

/**
 * Normalises a phone number to E.164 (+ and 8 to 15 digits, no leading zero in the country code).
 * Accepts formatting characters, an international 00 prefix, and — with a default calling code —
 * national numbers with a leading trunk 0.
 */
export function normalisePhone(value: unknown, defaultCallingCode: string | undefined, field = 'recipient'): string {
	if (typeof value !== 'string' && typeof value !== 'number') throw badRequest(`${field} must be a phone number string`, 'invalid_phone');
	const raw = String(value).trim();
	if (!/^\+?[\d\s().\-/]+$/.test(raw)) throw badRequest(`${field} "${raw.slice(0, 40)}" is not a phone number`, 'invalid_phone');
	let digits = raw.replace(/[\s().\-/]/g, '');
	if (digits.startsWith('00')) digits = '+' + digits.slice(2);
	if (!digits.startsWith('+')) {
		if (defaultCallingCode && digits.startsWith('0')) digits = `+${defaultCallingCode}${digits.slice(1)}`;
		else if (defaultCallingCode) digits = `+${defaultCallingCode}${digits}`;
		else throw badRequest(`${field} "${raw.slice(0, 40)}" must be in international format (+ and country code)`, 'invalid_phone');
	}
	if (!/^\+[1-9]\d{7,14}$/.test(digits)) throw badRequest(`${field} "${raw.slice(0, 40)}" is not a valid E.164 phone number`, 'invalid_phone');
	return digits;
}
