/**
 * Finds the links in an SMS text. A link starts with http:// or https:// (any case) or, when
 * asked, with a bare "www." (then its destination gets https://). It ends at whitespace or at a
 * character that cannot be part of a URL in running text; trailing punctuation of the sentence
 * (. , ; : ! ? quotes) and closing brackets without a matching opening one inside the link are
 * left out, so "(see https://x.example/a_(b))." gives https://x.example/a_(b).
 */
export interface FoundLink {
	/** The link exactly as written in the text. */
	text: string;
	/** Its destination: the absolute, normalised URL (WHATWG URL serialisation). */
	url: string;
	start: number;
	end: number;
}

export interface FindLinksOptions {
	/** Also find links written without a scheme that start with "www.". */
	bareWww?: boolean;
}

export const maxUrlLength = 2048;

const candidate = /(?:https?:\/\/|www\.)[^\s<>"'`{}|\\^“”‘’«»‹›]+/gi;
const trailing = /[.,;:!?*_~'"“”‘’«»‹›]$/;
const pairs: Record<string, string> = { ')': '(', ']': '[' };

function count(text: string, ch: string): number {
	let n = 0;
	for (const c of text) if (c === ch) n++;
	return n;
}

function trimEnd(link: string): string {
	let result = link;
	for (;;) {
		const last = result[result.length - 1];
		if (trailing.test(result)) {
			result = result.slice(0, -1);
		} else if (last in pairs && count(result, last) > count(result, pairs[last])) {
			result = result.slice(0, -1);
		} else {
			return result;
		}
	}
}

/** The normalised http(s) URL, or undefined when the text is not a usable destination. */
export function toDestination(link: string): string | undefined {
	const absolute = /^https?:\/\//i.test(link) ? link : `https://${link}`;
	if (absolute.length > maxUrlLength) return undefined;
	let url: URL;
	try {
		url = new URL(absolute);
	} catch {
		return undefined;
	}
	if (
		(url.protocol !== 'http:' && url.protocol !== 'https:') ||
		!url.hostname ||
		url.username ||
		url.password
	)
		return undefined;
	if (!url.hostname.includes('.') && url.hostname !== 'localhost' && !/^\[.*\]$/.test(url.hostname))
		return undefined;
	return url.href;
}

export function findLinks(text: string, options: FindLinksOptions = {}): FoundLink[] {
	const links: FoundLink[] = [];
	for (const match of text.matchAll(candidate)) {
		const start = match.index ?? 0;
		const raw = trimEnd(match[0]);
		const isBare = !/^https?:\/\//i.test(raw);
		if (isBare) {
			if (!options.bareWww) continue;
			// "www." inside a word, an e-mail address or a path is not a link of its own.
			if (start > 0 && /[\w@./-]/.test(text[start - 1])) continue;
			if (!/^www\.[a-z0-9-]+\.[a-z0-9]/i.test(raw)) continue;
		} else if (start > 0 && /[\w]/.test(text[start - 1])) {
			continue;
		}
		const url = toDestination(raw);
		if (!url) continue;
		links.push({ text: raw, url, start, end: start + raw.length });
	}
	return links;
}

/** Whether nothing but whitespace and sentence punctuation follows the link. */
export function isAtEnd(text: string, link: FoundLink): boolean {
	return /^[\s.,;:!?)\]'"“”‘’»›]*$/.test(text.slice(link.end));
}
