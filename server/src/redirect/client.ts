import type { IncomingMessage } from 'node:http';

/** The ISO country a trusted proxy put in the configured header; null when absent or unknown (XX, T1). */
export function countryFrom(req: IncomingMessage, header: string | undefined): string | null {
	if (!header) return null;
	const value = req.headers[header];
	if (typeof value !== 'string' || !/^[A-Za-z]{2}$/.test(value)) return null;
	const country = value.toUpperCase();
	return country === 'XX' ? null : country;
}

/** Whether the browser asks not to be tracked (Do Not Track or Global Privacy Control). */
export function optsOut(req: IncomingMessage): boolean {
	return req.headers.dnt === '1' || req.headers['sec-gpc'] === '1';
}
