import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { VariantEntry } from '../../helpers/ab';
import type { CheckMode } from '../../helpers/check-destinations';
import type { ShortenSettings } from '../../helpers/prepare';
import type { SendSettings } from '../../helpers/providers/send';

/** The item's Options (fields.ts) that Shorten and Send share. */
export function readShortenSettings(ctx: IExecuteFunctions, itemIndex: number): ShortenSettings {
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

/** The wave of sends that name none in version 1, as the server stores them too. */
export const firstWave = 'Initial';

/**
 * The item's send wave. Empty: in version 1 "Initial" (what such a workflow did before waves);
 * from version 2 one wave per execution, named after its id, so a re-run of the same execution
 * gets the same links while the next execution is a wave of its own.
 */
export function readWave(ctx: IExecuteFunctions, itemIndex: number): string {
	const typed = String(ctx.getNodeParameter('wave', itemIndex, '') ?? '').trim();
	if (typed) return typed;
	const executionId = ctx.getExecutionId();
	if (ctx.getNode().typeVersion < 2 || !executionId) return firstWave;
	return `Execution ${executionId}`;
}

/** The item's provider, sender and Send Options (send.fields.ts). */
export function readSendSettings(ctx: IExecuteFunctions, itemIndex: number): SendSettings {
	const options = ctx.getNodeParameter('sendOptions', itemIndex, {}) as IDataObject;
	const text = (name: string) => String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	return {
		provider: ctx.getNodeParameter('provider', itemIndex) as string,
		from: text('from'),
		messagingServiceSid: text('messagingServiceSid'),
		deliveryReports: options.deliveryReports === true,
		deliveryReportBaseUrl: String(options.deliveryReportBaseUrl ?? ''),
		label: String(options.label ?? '').trim(),
		foreignId: String(options.foreignId ?? '').trim(),
		delay: String(options.delay ?? ''),
	};
}

/** The item's Variants entries (A/B test). */
export function readVariantEntries(ctx: IExecuteFunctions, itemIndex: number): VariantEntry[] {
	return (
		((ctx.getNodeParameter('variants', itemIndex, {}) as IDataObject).variant as
			| VariantEntry[]
			| undefined) ?? []
	);
}

/**
 * The variants' texts as the builder wrote them (item 0, expressions not resolved), stored with the
 * split so Pick Winner can return the winning text. An expression is kept as its template without
 * the leading "=" (e.g. "Hi {{ $json.name }}"); a later node can resolve it per recipient.
 */
export function readVariantTemplates(ctx: IExecuteFunctions): Map<string, string> {
	const raw = ctx.getNodeParameter('variants', 0, {}, { rawExpressions: true }) as IDataObject;
	const entries = (raw.variant as VariantEntry[] | undefined) ?? [];
	return new Map(
		entries
			.filter((e) => typeof e.text === 'string' && typeof e.name === 'string')
			.map((e) => [String(e.name).trim(), String(e.text).replace(/^=/, '').slice(0, 1600)]),
	);
}

/**
 * The item's Recipient Metadata option: a JSON object (given as one, or as its JSON text), or
 * undefined when empty. Anything else fails the item before any link is created or SMS sent.
 */
export function readMetadata(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	let value: unknown = options.metadata;
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'Recipient Metadata is not valid JSON', {
				itemIndex,
				description: 'Give a JSON object, such as {"contactId": "c-42", "firstName": "Ana"}',
			});
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new NodeOperationError(ctx.getNode(), 'Recipient Metadata must be a JSON object', {
			itemIndex,
			description: 'Give a JSON object, such as {"contactId": "c-42", "firstName": "Ana"}',
		});
	}
	return Object.keys(value).length ? (value as IDataObject) : undefined;
}
