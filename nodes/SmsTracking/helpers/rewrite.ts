import { isAtEnd, type FoundLink } from '../../shared/links';
import { smsLength, type SmsLength } from '../../shared/segments';

export interface ShortLink {
	code: string;
	shortUrl: string;
}

export interface RewriteOptions {
	/** Write short links without "https://" (phones still link them; saves 8 characters). */
	omitHttps: boolean;
	/** Keep an original link when its short link would add a segment. */
	keepOriginalIfLonger: boolean;
	/** Warn when a link is not at the end of the text. */
	hintLinkNotAtEnd: boolean;
}

export interface RewrittenLink {
	url: string;
	shortUrl: string;
	code: string;
	/** False when the original link was kept (keepOriginalIfLonger). */
	shortened: boolean;
}

export interface Rewritten {
	text: string;
	links: RewrittenLink[];
	before: SmsLength;
	after: SmsLength;
	warnings: string[];
}

const written = (shortUrl: string, omitHttps: boolean) =>
	omitHttps ? shortUrl.replace(/^https:\/\//i, '') : shortUrl;

function substitute(
	text: string,
	links: FoundLink[],
	replacement: (link: FoundLink, i: number) => string,
): string {
	let result = '';
	let position = 0;
	links.forEach((link, i) => {
		result += text.slice(position, link.start) + replacement(link, i);
		position = link.end;
	});
	return result + text.slice(position);
}

/**
 * Puts each link's short link in place of the link, counts the SMS before and after, and (by
 * option) keeps original links — those that grow the most first — while shortening would add a
 * segment. `shortLinks[i]` belongs to `links[i]`.
 */
export function rewrite(
	text: string,
	links: FoundLink[],
	shortLinks: ShortLink[],
	options: RewriteOptions,
): Rewritten {
	const before = smsLength(text);
	const keep = new Set<number>();
	const render = () =>
		substitute(text, links, (link, i) =>
			keep.has(i) ? link.text : written(shortLinks[i].shortUrl, options.omitHttps),
		);
	let result = render();
	let after = smsLength(result);
	const warnings: string[] = [];

	if (options.keepOriginalIfLonger && after.segments > before.segments) {
		const growth = links
			.map((link, i) => ({
				i,
				grows: written(shortLinks[i].shortUrl, options.omitHttps).length - link.text.length,
			}))
			.filter((g) => g.grows > 0)
			.sort((a, b) => b.grows - a.grows);
		for (const { i } of growth) {
			if (after.segments <= before.segments) break;
			keep.add(i);
			result = render();
			after = smsLength(result);
			warnings.push(
				`Kept the original link ${links[i].text}: its short link would add a segment (it is not tracked)`,
			);
		}
	}
	if (after.segments > before.segments) {
		warnings.push(
			`Shortening adds ${after.segments - before.segments} segment(s): ${before.segments} → ${after.segments}`,
		);
	}
	if (options.hintLinkNotAtEnd) {
		for (const link of links) {
			if (!isAtEnd(text, link)) {
				warnings.push(
					`The link ${link.text} is not at the end of the text: phones show a link preview (a measurable view) mostly when the link comes last`,
				);
			}
		}
	}
	return {
		text: result,
		links: links.map((link, i) => ({
			url: link.url,
			shortUrl: shortLinks[i].shortUrl,
			code: shortLinks[i].code,
			shortened: !keep.has(i),
		})),
		before,
		after,
		warnings,
	};
}
