/**
 * The short-link codes written in a sent text: every `<host><path>/<code>` of the server's public
 * base URL, with or without its scheme (the node can write short links without https://).
 */
export function codesInText(text: string, publicBaseUrl: string): string[] {
	const base = publicBaseUrl.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
	const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const pattern = new RegExp(
		`(?<![A-Za-z0-9.-])(?:https?://)?${escaped}/([A-Za-z0-9]+)(?![A-Za-z0-9/])`,
		'gi',
	);
	const codes = new Set<string>();
	for (const match of text.matchAll(pattern)) codes.add(match[1]);
	return [...codes];
}
