import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { requiredCampaignId } from '../../../shared/campaign-locator';
import { deleteCampaign } from '../../../shared/tracking-api';
import { perItem } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Delete Campaign and All Its Data',
		name: 'deleteCampaignAndAllItsData',
		type: 'boolean',
		default: false,
		description:
			"Whether to delete the campaign with its links, messages, events and stats, for good; its short links then go to the server's fallback URL. Archive instead keeps everything.",
		displayOptions: { show: { resource: ['campaign'], operation: ['delete'] } },
	},
];

export const execute = perItem(async (ctx, i, http) => {
	const campaignId = requiredCampaignId(ctx, i);
	if (ctx.getNodeParameter('deleteCampaignAndAllItsData', i, false) !== true)
		throw new NodeOperationError(
			ctx.getNode(),
			'Nothing was deleted: turn on "Delete Campaign and All Its Data" to delete the campaign with its links, events and stats',
			{ itemIndex: i },
		);
	return await deleteCampaign(http, campaignId, i);
});
