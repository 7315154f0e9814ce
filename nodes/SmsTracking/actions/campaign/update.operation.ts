import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { requiredCampaignId } from '../../../shared/campaign-locator';
import { getCampaign, updateCampaign } from '../../../shared/tracking-api';
import { perItem } from '../common';

const show = { resource: ['campaign'], operation: ['update'] };

const utmFields = { utmSource: 'source', utmMedium: 'medium', utmCampaign: 'campaign' } as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
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
				description: 'ISO 4217 code of the cost and revenue; empty clears it',
			},
			{
				displayName: 'Fallback URL',
				name: 'fallbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://shop.example',
				description:
					"Where expired or unknown short links of this campaign go; empty clears it (then the server's fallback)",
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'A new name for the campaign',
			},
			{
				displayName: 'UTM Campaign',
				name: 'utmCampaign',
				type: 'string',
				default: '',
				description: 'Sets utm_campaign on every destination; empty removes it',
			},
			{
				displayName: 'UTM Medium',
				name: 'utmMedium',
				type: 'string',
				default: '',
				description: 'Sets utm_medium on every destination; empty removes it',
			},
			{
				displayName: 'UTM Source',
				name: 'utmSource',
				type: 'string',
				default: '',
				description: 'Sets utm_source on every destination; empty removes it',
			},
		],
	},
];

export const execute = perItem(async (ctx, i, http) => {
	const campaignId = requiredCampaignId(ctx, i);
	const fields = ctx.getNodeParameter('updateFields', i, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.name !== undefined) {
		const name = String(fields.name).trim();
		if (!name)
			throw new NodeOperationError(ctx.getNode(), 'The new name is empty', { itemIndex: i });
		body.name = name;
	}
	if (fields.conversionTracking !== undefined) body.conversionTracking = fields.conversionTracking;
	if (fields.fallbackUrl !== undefined)
		body.fallbackUrl = String(fields.fallbackUrl).trim() || null;
	if (fields.currency !== undefined)
		body.currency = String(fields.currency).trim().toUpperCase() || null;
	if (fields.costPerSegment !== undefined && fields.costPerSegment !== '')
		body.costPerSegment = Number(fields.costPerSegment);
	const utmKeys = Object.keys(utmFields).filter((k) => fields[k] !== undefined);
	if (utmKeys.length) {
		// The server replaces the UTM set as a whole: keep the parameters this update does not name.
		const current = await getCampaign(http, campaignId, i);
		const utm: IDataObject = { ...((current.utm as IDataObject | null) ?? {}) };
		for (const key of utmKeys) {
			const value = String(fields[key]).trim();
			const name = utmFields[key as keyof typeof utmFields];
			if (value) utm[name] = value;
			else delete utm[name];
		}
		body.utm = Object.keys(utm).length ? utm : null;
	}
	if (Object.keys(body).length === 0)
		throw new NodeOperationError(ctx.getNode(), 'Add at least one field to update', {
			itemIndex: i,
		});
	return await updateCampaign(http, campaignId, body, i);
});
