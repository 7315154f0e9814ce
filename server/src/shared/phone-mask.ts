import { callingCodeIn } from './phone';

/**
 * A phone number as screens show it to people who need to tell recipients apart, not reach them:
 * the calling code, the first three digits after it (the network or area) and the last two.
 * "+4915112345667" → "+49 151 •••• 67". Short or odd numbers keep less; nothing is ever shown
 * beyond the calling code and five more digits.
 */
export function maskPhone(phone: string | null): string | null {
	if (!phone) return null;
	const digits = phone.replace(/\D/g, '');
	if (digits.length < 6) return '••••';
	const code = (phone.startsWith('+') && callingCodeIn(digits)) || '';
	const rest = digits.slice(code.length);
	const head = rest.length >= 9 ? rest.slice(0, 3) : '';
	return [code && `+${code}`, head, '••••', rest.slice(-2)].filter(Boolean).join(' ');
}
