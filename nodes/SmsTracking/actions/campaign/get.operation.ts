import type { INodeProperties } from 'n8n-workflow';
import { getCampaign } from '../../../shared/tracking-api';
import { perItem } from '../common';

export const description: INodeProperties[] = [];

export const execute = perItem(
	async (ctx, i, http) =>
		await getCampaign(http, ctx.getNodeParameter('campaignId', i) as string, i),
);
