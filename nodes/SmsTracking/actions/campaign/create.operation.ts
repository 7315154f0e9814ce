import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createCampaign } from '../../../shared/tracking-api';
import { perItem } from '../common';

const show = { resource: ['campaign'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Black Friday',
		description: 'A name for the campaign',
		displayOptions: { show },
	},
	{
		displayName: 'If a Campaign of This Name Exists',
		name: 'ifNameExists',
		type: 'options',
		default: 'create',
		description:
			'What to do when a campaign has this exact name already (e.g. one campaign per order type in a transactional workflow)',
		displayOptions: { show },
		options: [
			{
				name: 'Create Another',
				value: 'create',
				description: 'Create a new campaign of the same name',
			},
			{
				name: 'Fail',
				value: 'fail',
				description: 'Stop with an error naming the existing campaign',
			},
			{
				name: 'Return It',
				value: 'return',
				description: 'Return the existing campaign unchanged instead of creating one',
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
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
				description: 'ISO 4217 code of the cost and revenue',
			},
			{
				displayName: 'Fallback URL',
				name: 'fallbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://shop.example',
				description: 'Where expired or unknown short links of this campaign go',
			},
			{
				displayName: 'UTM Campaign',
				name: 'utmCampaign',
				type: 'string',
				default: '',
				description: 'Adds utm_campaign to every destination',
			},
			{
				displayName: 'UTM Medium',
				name: 'utmMedium',
				type: 'string',
				default: '',
				placeholder: 'sms',
				description: 'Adds utm_medium to every destination',
			},
			{
				displayName: 'UTM Source',
				name: 'utmSource',
				type: 'string',
				default: '',
				description: 'Adds utm_source to every destination',
			},
		],
	},
];

export const execute = perItem(async (ctx, i, http) => {
	const name = (ctx.getNodeParameter('name', i) as string).trim();
	if (!name)
		throw new NodeOperationError(ctx.getNode(), 'The campaign needs a name', { itemIndex: i });
	const fields = ctx.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const body: IDataObject = { name };
	const ifNameExists = ctx.getNodeParameter('ifNameExists', i, 'create') as string;
	if (ifNameExists === 'return' || ifNameExists === 'fail') body.ifNameExists = ifNameExists;
	if (fields.conversionTracking !== undefined) body.conversionTracking = fields.conversionTracking;
	if (fields.fallbackUrl) body.fallbackUrl = fields.fallbackUrl;
	if (fields.currency) body.currency = String(fields.currency).trim().toUpperCase();
	if (fields.costPerSegment !== undefined && fields.costPerSegment !== '')
		body.costPerSegment = Number(fields.costPerSegment);
	const utm: IDataObject = {};
	if (fields.utmSource) utm.source = fields.utmSource;
	if (fields.utmMedium) utm.medium = fields.utmMedium;
	if (fields.utmCampaign) utm.campaign = fields.utmCampaign;
	if (Object.keys(utm).length) body.utm = utm;
	return await createCampaign(http, body, i);
});
