import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { findLinks, type FoundLink } from '../../shared/links';
import { normalisePhone } from '../../shared/phone';
import { campaignPath, trackingApi } from './api';
import { checkDestinations, type CheckMode } from './check-destinations';
import { chunk } from './concurrency';
import { rewrite, type Rewritten, type RewriteOptions, type ShortLink } from './rewrite';

/** Recipients per POST …/links call: 10,000 items make four calls. */
export const linkBatchSize = 2500;

export interface ShortenSettings extends RewriteOptions {
	bareWww: boolean;
	defaultCallingCode: string;
	expiresAt: string;
	checkDestinations: CheckMode;
}

export interface Draft {
	itemIndex: number;
	recipient: string;
	text: string;
	/** Set for A/B sends; otherwise the server assigns one when the campaign has variants. */
	variant?: string;
	links: FoundLink[];
}

export interface Prepared {
	draft: Draft;
	result: Rewritten;
	/** The variant the server stored with the links (or the draft's). */
	variant: string | null;
}

export function readSettings(ctx: IExecuteFunctions, itemIndex: number): ShortenSettings {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		omitHttps: options.omitHttps === true,
		keepOriginalIfLonger: options.keepOriginalIfLonger === true,
		hintLinkNotAtEnd: options.hintLinkNotAtEnd !== false,
		bareWww: options.bareWww === true,
		defaultCallingCode: String(options.defaultCallingCode ?? ''),
		expiresAt: String(options.expiresAt ?? ''),
		checkDestinations: (['warn', 'fail'].includes(String(options.checkDestinations))
			? options.checkDestinations
			: 'off') as CheckMode,
	};
}

/** Validates one item's recipient and text and finds its links; bad input is a NodeOperationError. */
export function draft(
	ctx: IExecuteFunctions,
	itemIndex: number,
	rawRecipient: unknown,
	text: string,
	settings: ShortenSettings,
	variant?: string,
): Draft {
	const phone = normalisePhone(rawRecipient, settings.defaultCallingCode);
	if ('error' in phone)
		throw new NodeOperationError(ctx.getNode(), `Invalid recipient: ${phone.error}`, { itemIndex });
	if (typeof text !== 'string' || text.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), 'The text is empty', {
			itemIndex,
			description: 'Each message needs a text',
		});
	}
	return {
		itemIndex,
		recipient: phone.phone,
		text,
		variant,
		links: findLinks(text, { bareWww: settings.bareWww }),
	};
}

const key = (recipient: string, url: string) => `${recipient}\n${url}`;

interface CreatedLink extends ShortLink {
	variant: string | null;
}

/**
 * Creates every draft's links in a few batched calls (idempotent on the server: a re-run gets the
 * same codes), then rewrites each text. A failed batch fails only its own items.
 */
export async function shortenAll(
	ctx: IExecuteFunctions,
	campaignId: string,
	drafts: Draft[],
	settingsOf: (itemIndex: number) => ShortenSettings,
): Promise<Array<Prepared | Error>> {
	const created = new Map<string, CreatedLink>();
	const checks = await checkDestinations(ctx, drafts, (i) => settingsOf(i).checkDestinations);
	const failed = new Map<number, Error>(checks.failures);
	const withLinks = drafts.filter((d) => d.links.length > 0 && !failed.has(d.itemIndex));
	for (const batch of chunk(withLinks, linkBatchSize)) {
		const expiresAt = settingsOf(batch[0].itemIndex).expiresAt;
		const body: IDataObject = {
			recipients: batch.map((d) => ({
				recipient: d.recipient,
				urls: [...new Set(d.links.map((l) => l.url))],
				...(d.variant ? { variant: d.variant } : {}),
			})),
			...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
		};
		try {
			const response = await trackingApi<{
				links: Array<{
					recipient: string;
					url: string;
					code: string;
					shortUrl: string;
					variant: string | null;
				}>;
			}>(
				ctx,
				{ method: 'POST', path: `${campaignPath(campaignId)}/links`, body },
				batch[0].itemIndex,
			);
			for (const link of response.links) created.set(key(link.recipient, link.url), link);
		} catch (error) {
			for (const d of batch) failed.set(d.itemIndex, error as Error);
		}
	}
	return drafts.map((d) => {
		const failure = failed.get(d.itemIndex);
		if (failure) return failure;
		const shortLinks = d.links.map((l) => created.get(key(d.recipient, l.url)));
		if (shortLinks.some((s) => s === undefined)) {
			return new NodeOperationError(
				ctx.getNode(),
				'The tracking server did not return a short link for every link',
				{ itemIndex: d.itemIndex },
			);
		}
		const links = shortLinks as CreatedLink[];
		const result = rewrite(d.text, d.links, links, settingsOf(d.itemIndex));
		result.warnings.unshift(...(checks.warnings.get(d.itemIndex) ?? []));
		return { draft: d, result, variant: d.variant ?? links[0]?.variant ?? null };
	});
}

/** The output fields Shorten and Send share. */
export function describe({ draft: d, result, variant }: Prepared, campaignId: string): IDataObject {
	return {
		campaignId,
		recipient: d.recipient,
		variant,
		text: result.text,
		originalText: d.text,
		links: result.links.map((l) => ({ ...l })),
		encoding: result.after.encoding,
		characters: result.after.characters,
		segments: result.after.segments,
		encodingBefore: result.before.encoding,
		charactersBefore: result.before.characters,
		segmentsBefore: result.before.segments,
		warnings: result.warnings,
	};
}
