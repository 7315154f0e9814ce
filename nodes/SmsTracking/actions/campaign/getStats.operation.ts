import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getCampaignStats } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { requiredCampaignId } from '../../../shared/campaign-locator';

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'statsOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['campaign'], operation: ['getStats'] } },
		options: [
			{
				displayName: 'From',
				name: 'from',
				type: 'dateTime',
				default: '',
				description: 'Count only events from this time on',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'IANA time zone for the hour-of-day breakdown and the timeline buckets',
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'dateTime',
				default: '',
				description: 'Count only events before this time',
			},
		],
	},
];

export const execute = perItem(async (ctx, i, http) => {
	const options = ctx.getNodeParameter('statsOptions', i, {}) as IDataObject;
	const qs: IDataObject = {};
	if (options.from) qs.from = new Date(String(options.from)).toISOString();
	if (options.to) qs.to = new Date(String(options.to)).toISOString();
	if (options.timeZone) qs.timeZone = options.timeZone;
	return await getCampaignStats(http, requiredCampaignId(ctx, i), qs, i);
});
