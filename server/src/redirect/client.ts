import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** The visitor's address, honouring TRUST_PROXY exactly as Express's `trust proxy` setting does. */
export function createClientAddress(
	trustProxy: string | boolean,
): (req: IncomingMessage) => string {
	const trust = compileTrust(trustProxy);
	return (req) => proxyAddr(req, trust);
}

function compileTrust(value: string | boolean): (addr: string, i: number) => boolean {
	if (value === true) return () => true;
	if (value === false) return () => false;
	if (/^\d+$/.test(value)) {
		const hops = Number(value);
		return (_addr, i) => i < hops;
	}
	return proxyAddr.compile(value.split(',').map((part) => part.trim()));
}

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
