import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { normalisePhone } from '../../../shared/phone';
import { getEventsPage, type EventsPage } from '../../../shared/tracking-api';
import { collectPages, listFields } from '../campaign/list';
import { perItem } from '../common';
import { requiredCampaignId } from '../../../shared/campaign-locator';

const show = { resource: ['event'], operation: ['getAll'] };

export const description: INodeProperties[] = listFields(show, [
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		description: 'Only events that happened at or after this time',
	},
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		default: '',
		placeholder: '+4915112345678',
		description: 'Only the events of this phone number (international format)',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		description: 'Only events that happened before this time',
	},
	{
		displayName: 'Types',
		name: 'types',
		type: 'multiOptions',
		options: [
			{ name: 'Bot', value: 'bot', description: 'A crawler or scanner (never counted as a click)' },
			{ name: 'Click', value: 'click' },
			{ name: 'Conversion', value: 'conversion' },
			{ name: 'Delivered', value: 'delivered', description: 'A delivery report' },
			{ name: 'Failed', value: 'failed', description: 'A failed delivery report' },
			{ name: 'View', value: 'view', description: 'A link preview rendered on the phone' },
			{ name: 'Winner', value: 'winner', description: "The A/B test rule's decision" },
		],
		default: [],
		description: 'Only events of these types (none chosen: all)',
	},
]);

const iso = (value: unknown) => (value ? new Date(String(value)).toISOString() : undefined);

/** Pages through GET /campaigns/:id/events (cursor) until the limit or the end. */
export const execute = perItem(async (ctx, i, http) => {
	const campaignId = requiredCampaignId(ctx, i);
	const returnAll = ctx.getNodeParameter('returnAll', i) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', i) as number);
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const qs: IDataObject = {};
	const types = (filters.types as string[] | undefined) ?? [];
	if (types.length) qs.type = types.join(',');
	const recipient = String(filters.recipient ?? '').trim();
	if (recipient) {
		const phone = normalisePhone(recipient, '');
		if ('error' in phone)
			throw new NodeOperationError(ctx.getNode(), `Invalid recipient: ${phone.error}`, {
				itemIndex: i,
			});
		qs.recipient = phone.phone;
	}
	const from = iso(filters.from);
	const to = iso(filters.to);
	if (from) qs.from = from;
	if (to) qs.to = to;
	return await collectPages(limit, 1000, async (pageLimit, cursor) => {
		const page: EventsPage = await getEventsPage(
			http,
			campaignId,
			{ ...qs, limit: pageLimit, ...(cursor ? { cursor } : {}) },
			i,
		);
		return { rows: page.events, nextCursor: page.nextCursor };
	});
});
