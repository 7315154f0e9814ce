import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { findLinks, type FoundLink } from '../../shared/links';
import { normalisePhone } from '../../shared/phone';
import { createLinks, type CreatedLink } from '../../shared/tracking-api';
import type { Http } from '../../shared/transport';
import { checkDestinations, type CheckMode } from './check-destinations';
import { chunk } from './concurrency';
import { rejectedMetadata } from './metadata-rejection';
import { rewrite, type Rewritten, type RewriteOptions } from './rewrite';

/** Recipients per POST …/links call: 10,000 items make four calls. */
export const linkBatchSize = 2500;

export interface ShortenSettings extends RewriteOptions {
	bareWww: boolean;
	defaultCallingCode: string;
	expiresAt: string;
	checkDestinations: CheckMode;
}

/** One item's message as the operation read it from its parameters. */
export interface MessageInput {
	campaignId: string;
	recipient: unknown;
	text: string;
	settings: ShortenSettings;
	/** The send wave: its links are the recipient's for this wave only. */
	wave: string;
	/** Set for A/B sends; otherwise the server assigns one when the campaign has variants. */
	variant?: string;
	/** Stored with the recipient for the campaign (Recipient Metadata). */
	metadata?: IDataObject;
}

export interface Draft {
	itemIndex: number;
	recipient: string;
	text: string;
	variant?: string;
	wave: string;
	metadata?: IDataObject;
	settings: ShortenSettings;
	links: FoundLink[];
}

export interface Prepared {
	draft: Draft;
	result: Rewritten;
	/** The variant the server stored with the links (or the draft's). */
	variant: string | null;
}

export interface ReadyMessage {
	campaignId: string;
	prepared: Prepared;
}

/**
 * The pipeline Shorten and Send share: each item's message is read and drafted (recipient
 * normalised, links found), the drafts are grouped by campaign, and each campaign's links are
 * created in a few batched calls and put into the texts. `read` returns undefined for an item that
 * takes no part (an A/B hold-out). `fail` gets each failed item's error; it throws without
 * Continue On Fail, so a bad item stops the run before any link is created. `beforeShorten` runs
 * once, with the campaigns about to be shortened, before the first link is created.
 */
export async function prepareMessages(
	http: Http,
	itemCount: number,
	read: (itemIndex: number) => MessageInput | undefined,
	fail: (error: Error, itemIndex: number) => void,
	beforeShorten?: (campaignIds: string[]) => Promise<void>,
): Promise<ReadyMessage[]> {
	const byCampaign = new Map<string, Draft[]>();
	for (let i = 0; i < itemCount; i++) {
		try {
			const input = read(i);
			if (!input) continue;
			const d = draft(http, i, input);
			if (!byCampaign.has(input.campaignId)) byCampaign.set(input.campaignId, []);
			byCampaign.get(input.campaignId)!.push(d);
		} catch (error) {
			fail(error as Error, i);
		}
	}
	if (beforeShorten) await beforeShorten([...byCampaign.keys()]);

	const ready: ReadyMessage[] = [];
	for (const [campaignId, drafts] of byCampaign) {
		const prepared = await shortenAll(http, campaignId, drafts);
		prepared.forEach((p, n) => {
			if (p instanceof Error) fail(p, drafts[n].itemIndex);
			else ready.push({ campaignId, prepared: p });
		});
	}
	return ready;
}

/** Validates one item's recipient and text and finds its links; bad input is a NodeOperationError. */
function draft(http: Http, itemIndex: number, input: MessageInput): Draft {
	const { text, settings, variant, wave } = input;
	const phone = normalisePhone(input.recipient, settings.defaultCallingCode);
	if ('error' in phone)
		throw new NodeOperationError(http.node, `Invalid recipient: ${phone.error}`, { itemIndex });
	if (typeof text !== 'string' || text.trim() === '') {
		throw new NodeOperationError(http.node, 'The text is empty', {
			itemIndex,
			description: 'Each message needs a text',
		});
	}
	return {
		itemIndex,
		recipient: phone.phone,
		text,
		variant,
		wave,
		metadata: input.metadata,
		settings,
		links: findLinks(text, { bareWww: settings.bareWww }),
	};
}

const key = (recipient: string, url: string, wave: string) => `${recipient}\n${url}\n${wave}`;

/**
 * Creates every draft's links in a few batched calls (idempotent on the server: a re-run gets the
 * same codes), then rewrites each text. A failed batch fails only its own items.
 */
async function shortenAll(
	http: Http,
	campaignId: string,
	drafts: Draft[],
): Promise<Array<Prepared | Error>> {
	const created = new Map<string, CreatedLink>();
	const checks = await checkDestinations(http, drafts);
	const failed = new Map<number, Error>(checks.failures);
	const withLinks = drafts.filter((d) => d.links.length > 0 && !failed.has(d.itemIndex));
	for (let batch of chunk(withLinks, linkBatchSize)) {
		const expiresAt = batch[0].settings.expiresAt;
		while (batch.length > 0) {
			const body: IDataObject = {
				recipients: batch.map((d) => ({
					recipient: d.recipient,
					urls: [...new Set(d.links.map((l) => l.url))],
					wave: d.wave,
					...(d.variant ? { variant: d.variant } : {}),
					...(d.metadata ? { metadata: d.metadata } : {}),
				})),
				...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
			};
			try {
				const links = await createLinks(http, campaignId, body, batch[0].itemIndex);
				for (const link of links)
					created.set(key(link.recipient, link.url, link.wave ?? ''), link);
				break;
			} catch (error) {
				// Metadata the server refuses fails its own item only; the others are sent again.
				const rejected = rejectedMetadata(error as Error, 'recipients');
				const culprit = rejected && batch[rejected.index];
				if (!rejected || !culprit) {
					for (const d of batch) failed.set(d.itemIndex, error as Error);
					break;
				}
				failed.set(
					culprit.itemIndex,
					new NodeOperationError(http.node, rejected.reason, { itemIndex: culprit.itemIndex }),
				);
				batch = batch.filter((d) => d !== culprit);
			}
		}
	}
	return drafts.map((d) => {
		const failure = failed.get(d.itemIndex);
		if (failure) return failure;
		const shortLinks = d.links.map((l) => created.get(key(d.recipient, l.url, d.wave)));
		if (shortLinks.some((s) => s === undefined)) {
			return new NodeOperationError(
				http.node,
				'The tracking server did not return a short link for every link',
				{ itemIndex: d.itemIndex },
			);
		}
		const links = shortLinks as CreatedLink[];
		const result = rewrite(d.text, d.links, links, d.settings);
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
		wave: d.wave,
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
