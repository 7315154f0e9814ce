import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createCampaign } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { campaignSettingsFields } from './settings.fields';

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
		options: campaignSettingsFields({
			currency: 'ISO 4217 code of the cost and revenue',
			fallbackUrl: 'Where expired or unknown short links of this campaign go',
			utm: (parameter) => `Adds ${parameter} to every destination`,
			utmMediumPlaceholder: 'sms',
		}),
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
