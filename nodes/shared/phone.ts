/**
 * Normalises a phone number to E.164 (+ and 8 to 15 digits) the way the tracking server does
 * (server/src/links/phone.ts): formatting characters are dropped, an international 00 prefix
 * becomes +, and with a default calling code a national number loses its trunk 0.
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
	const callingCode = (defaultCallingCode ?? '').trim().replace(/^\+/, '');
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

/** Whether a default calling code is well formed (1 to 3 digits, no leading zero). */
export const isCallingCode = (value: string) => /^\+?[1-9]\d{0,2}$/.test(value.trim());
