import type { INodeProperties } from 'n8n-workflow';
import { requiredCampaignId } from '../../../shared/campaign-locator';
import { setCampaignArchived } from '../../../shared/tracking-api';
import { perItem } from '../common';

/** Archive: the campaign leaves lists and the picker; its short links keep redirecting. */
export const description: INodeProperties[] = [];

export const execute = perItem(
	async (ctx, i, http) => await setCampaignArchived(http, requiredCampaignId(ctx, i), true, i),
);
