import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
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
