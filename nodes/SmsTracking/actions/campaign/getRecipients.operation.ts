import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getRecipientsPage, type RecipientsPage } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { collectPages, listFields } from './list';
import { requiredCampaignId } from '../../../shared/campaign-locator';

const show = { resource: ['campaign'], operation: ['getRecipients'] };
const yesNo = (what: string) => [
	{ name: 'Any', value: '', description: `Whether or not they ${what}` },
	{ name: 'Yes', value: 'true', description: `Only recipients who ${what}` },
	{ name: 'No', value: 'false', description: `Only recipients who never ${what}` },
];

export const description: INodeProperties[] = listFields(show, [
	{
		displayName: 'Clicked',
		name: 'clicked',
		type: 'options',
		options: yesNo('clicked'),
		default: '',
	},
	{
		displayName: 'Converted',
		name: 'converted',
		type: 'options',
		options: yesNo('converted'),
		default: '',
	},
	{
		displayName: 'Variant',
		name: 'variant',
		type: 'string',
		default: '',
		placeholder: 'A',
		description: 'Only this A/B variant ("holdout" lists the hold-out)',
	},
	{
		displayName: 'Wave',
		name: 'wave',
		type: 'string',
		default: '',
		placeholder: 'e.g. Reminder',
		description:
			"Only the recipients of this send wave, with that wave's clicks, views and conversions (so Clicked: No means did not click that wave's link)",
	},
	{
		displayName: 'Viewed',
		name: 'viewed',
		type: 'options',
		options: yesNo('viewed (link preview)'),
		default: '',
	},
]);

/** Pages through GET /campaigns/:id/recipients (cursor) until the limit or the end. */
export const execute = perItem(async (ctx, i, http) => {
	const campaignId = requiredCampaignId(ctx, i);
	const returnAll = ctx.getNodeParameter('returnAll', i) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', i) as number);
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const qs: IDataObject = {};
	for (const key of ['clicked', 'viewed', 'converted', 'variant', 'wave'])
		if (filters[key] !== undefined && filters[key] !== '') qs[key] = filters[key];
	return await collectPages(limit, 1000, async (pageLimit, cursor) => {
		const page: RecipientsPage = await getRecipientsPage(
			http,
			campaignId,
			{ ...qs, limit: pageLimit, ...(cursor ? { cursor } : {}) },
			i,
		);
		return { rows: page.recipients, nextCursor: page.nextCursor };
	});
});
