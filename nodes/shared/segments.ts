/**
 * SMS length as the phone network counts it. A message is GSM-7 when every character is in the
 * GSM 03.38 basic set or its extension table (extension characters take two septets: an escape and
 * the character); otherwise the whole message is UCS-2, counted in UTF-16 code units, so an emoji
 * (a surrogate pair) counts two. One segment holds 160 septets / 70 units; a concatenated message
 * gives 7 septets / 3 units per segment to the header (153 / 67), and a two-unit character is never
 * split across segments.
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsLength {
	encoding: SmsEncoding;
	/** Septets (GSM-7) or UTF-16 code units (UCS-2): what the segment limits count. */
	characters: number;
	segments: number;
}

const gsmBasic = new Set(
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const gsmExtension = new Set('\f^{}\\[~]|€');

const limits = {
	'GSM-7': { single: 160, multi: 153 },
	'UCS-2': { single: 70, multi: 67 },
} as const;

/** Whether every character of the text can be sent in GSM-7. */
export function isGsm7(text: string): boolean {
	for (const ch of text) {
		if (!gsmBasic.has(ch) && !gsmExtension.has(ch)) return false;
	}
	return true;
}

/** The width of each character of the text in the given encoding (1 or 2). */
function widths(text: string, encoding: SmsEncoding): number[] {
	const result: number[] = [];
	for (const ch of text) {
		if (encoding === 'GSM-7') result.push(gsmExtension.has(ch) ? 2 : 1);
		else result.push(ch.length); // a code point outside the BMP is a surrogate pair: 2 units
	}
	return result;
}

export function smsLength(text: string): SmsLength {
	const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
	const parts = widths(text, encoding);
	const characters = parts.reduce((sum, w) => sum + w, 0);
	const { single, multi } = limits[encoding];
	if (characters === 0) return { encoding, characters, segments: 0 };
	if (characters <= single) return { encoding, characters, segments: 1 };
	let segments = 1;
	let used = 0;
	for (const w of parts) {
		if (used + w > multi) {
			segments++;
			used = 0;
		}
		used += w;
	}
	return { encoding, characters, segments };
}
