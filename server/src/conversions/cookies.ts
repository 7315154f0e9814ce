/** The value of one cookie from a Cookie header, or undefined. No dependency needed for one name. */
export function readCookie(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
		let value = part.slice(eq + 1).trim();
		if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
		try {
			return decodeURIComponent(value);
		} catch {
			return undefined;
		}
	}
	return undefined;
}
