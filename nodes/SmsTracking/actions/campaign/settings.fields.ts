import type { INodeProperties } from 'n8n-workflow';

/**
 * The campaign settings that Create's Additional Fields and Update's Update Fields both offer, in
 * one place so that their names, types and defaults cannot drift apart; each operation words the
 * descriptions (Update says what an empty value clears) and may add options of its own. The
 * editor lists a collection's options alphabetically, so the result is sorted by display name.
 */
export function campaignSettingsFields(words: {
	currency: string;
	fallbackUrl: string;
	utm: (parameter: 'utm_campaign' | 'utm_medium' | 'utm_source') => string;
	utmMediumPlaceholder?: string;
	extra?: INodeProperties[];
}): INodeProperties[] {
	const fields: INodeProperties[] = [
		{
			displayName: 'Conversion Tracking',
			name: 'conversionTracking',
			type: 'boolean',
			default: false,
			description:
				'Whether clicks carry a click ID (sms_cid) to the landing page so conversions can be attributed',
		},
		{
			displayName: 'Cost per Segment',
			name: 'costPerSegment',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 4 },
			default: 0,
			description: 'What one SMS segment costs, for cost and ROI in the stats (needs a currency)',
		},
		{
			displayName: 'Currency',
			name: 'currency',
			type: 'string',
			default: '',
			placeholder: 'EUR',
			description: words.currency,
		},
		{
			displayName: 'Fallback URL',
			name: 'fallbackUrl',
			type: 'string',
			default: '',
			placeholder: 'https://shop.example',
			description: words.fallbackUrl,
		},
		{
			displayName: 'UTM Campaign',
			name: 'utmCampaign',
			type: 'string',
			default: '',
			description: words.utm('utm_campaign'),
		},
		{
			displayName: 'UTM Medium',
			name: 'utmMedium',
			type: 'string',
			default: '',
			...(words.utmMediumPlaceholder ? { placeholder: words.utmMediumPlaceholder } : {}),
			description: words.utm('utm_medium'),
		},
		{
			displayName: 'UTM Source',
			name: 'utmSource',
			type: 'string',
			default: '',
			description: words.utm('utm_source'),
		},
		...(words.extra ?? []),
	];
	return fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
}
