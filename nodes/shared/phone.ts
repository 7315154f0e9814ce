import { callingCodeOf } from './calling-codes';

/**
 * Normalises a phone number to E.164 (+ and 8 to 15 digits) the way the tracking server does
 * (server/src/shared/phone.ts): formatting characters are dropped, an international 00 prefix
 * becomes +, and with a default country (a calling code such as 49, or an ISO code such as DE) a
 * national number loses its trunk 0 and gets the country's calling code.
 * Returns an error message instead of throwing, so the caller can attach the item index.
 */
export function normalisePhone(
	value: unknown,
	defaultCallingCode?: string,
): { phone: string } | { error: string } {
	if (typeof value !== 'string' && typeof value !== 'number')
		return { error: 'The recipient must be a phone number' };
	const raw = String(value).trim();
	if (raw === '') return { error: 'The recipient is empty' };
	if (!/^\+?[\d\s().\-/]+$/.test(raw))
		return { error: `"${raw.slice(0, 40)}" is not a phone number` };
	let digits = raw.replace(/[\s().\-/]/g, '');
	if (digits.startsWith('00')) digits = '+' + digits.slice(2);
	const country = (defaultCallingCode ?? '').trim();
	const callingCode = country ? callingCodeOf(country) : undefined;
	if (country && !callingCode)
		return {
			error: `The default country "${country.slice(0, 20)}" is neither a calling code (49) nor an ISO country code (DE)`,
		};
	if (!digits.startsWith('+')) {
		if (!callingCode) {
			return {
				error: `"${raw.slice(0, 40)}" must be in international format (+ and country code), or set a default country calling code`,
			};
		}
		digits = `+${callingCode}${digits.startsWith('0') ? digits.slice(1) : digits}`;
	}
	if (!/^\+[1-9]\d{7,14}$/.test(digits))
		return { error: `"${raw.slice(0, 40)}" is not a valid E.164 phone number` };
	return { phone: digits };
}
