import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { requiredCampaignId } from '../../../shared/campaign-locator';
import { getCampaign, getTrackingCode } from '../../../shared/tracking-api';
import { perItem } from '../common';

const show = { resource: ['campaign'], operation: ['getTrackingCode'] };

/**
 * Get Tracking Code: the script and pixel tags for the landing and confirmation pages, with the
 * example conversion filled in. The code is the server's, the same for every campaign; the
 * campaign is asked for so the item says whether its conversions are tracked at all.
 */
export const description: INodeProperties[] = [
	{
		displayName: 'Example Conversion',
		name: 'trackingCodeOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: 'EUR',
				description: 'ISO 4217 code in the example conversion call',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: 'purchase',
				description: 'The conversion name in the example conversion call',
			},
			{
				displayName: 'Value',
				name: 'value',
				type: 'number',
				default: 49.9,
				description: 'The value in the example conversion call',
			},
		],
	},
];

export const execute = perItem(async (ctx, i, http) => {
	const campaignId = requiredCampaignId(ctx, i);
	const options = ctx.getNodeParameter('trackingCodeOptions', i, {}) as IDataObject;
	const qs: IDataObject = {};
	for (const key of ['name', 'value', 'currency'])
		if (options[key] !== undefined && options[key] !== '') qs[key] = String(options[key]);
	const campaign = await getCampaign(http, campaignId, i);
	const code = await getTrackingCode(http, qs, i);
	const tracked = campaign.conversionTracking === true;
	return {
		campaignId,
		campaignName: campaign.name,
		conversionTracking: tracked,
		...code,
		...(tracked
			? {}
			: {
					warning:
						'Conversion tracking is off for this campaign: its short links add no click id to the landing page, so the script cannot attribute conversions. Turn it on with Campaign → Update.',
				}),
	};
});
