import type { INodeProperties } from 'n8n-workflow';
import { getCampaign } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { requiredCampaignId } from '../../../shared/campaign-locator';

export const description: INodeProperties[] = [];

export const execute = perItem(
	async (ctx, i, http) => await getCampaign(http, requiredCampaignId(ctx, i), i),
);
