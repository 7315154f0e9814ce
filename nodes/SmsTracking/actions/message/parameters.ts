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
