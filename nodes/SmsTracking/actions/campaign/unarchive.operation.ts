import type { INodeProperties } from 'n8n-workflow';
import { requiredCampaignId } from '../../../shared/campaign-locator';
import { setCampaignArchived } from '../../../shared/tracking-api';
import { perItem } from '../common';

/** Unarchive: the campaign is listed (and offered in the picker) again. */
export const description: INodeProperties[] = [];

export const execute = perItem(
	async (ctx, i, http) => await setCampaignArchived(http, requiredCampaignId(ctx, i), false, i),
);
