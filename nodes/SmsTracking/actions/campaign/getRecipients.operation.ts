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
		description:
			'Whether they clicked. "No" leaves out the hold-out and failed sends unless Status or Hold-Out asks for them.',
	},
	{
		displayName: 'Clicked Within the Last (Hours)',
		name: 'clickedWithinHours',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 24,
		description: 'Only recipients who clicked within this many hours before now',
	},
	{
		displayName: 'Clicked Link',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'https://shop.example/sale',
		description: 'Only recipients who clicked this destination URL (as in the text)',
	},
	{
		displayName: 'Converted',
		name: 'converted',
		type: 'options',
		options: yesNo('converted'),
		default: '',
	},
	{
		displayName: 'Country',
		name: 'country',
		type: 'string',
		default: '',
		placeholder: 'DE',
		description: 'Only recipients who clicked from this country (ISO code of two letters)',
	},
	{
		displayName: 'Device Type',
		name: 'deviceType',
		type: 'options',
		options: [
			{ name: 'Console', value: 'console' },
			{ name: 'Desktop', value: 'desktop' },
			{ name: 'Embedded', value: 'embedded' },
			{ name: 'Mobile', value: 'mobile' },
			{ name: 'Smart TV', value: 'smarttv' },
			{ name: 'Tablet', value: 'tablet' },
			{ name: 'Wearable', value: 'wearable' },
		],
		default: 'mobile',
		description: 'Only recipients who clicked from this kind of device',
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		description:
			'Count views, clicks and conversions from this time on; Clicked, Viewed, Converted, Clicked Link, Device Type, OS and Country then ask about this range. Sends and status stay those of the whole campaign.',
	},
	{
		displayName: 'Hold-Out',
		name: 'holdout',
		type: 'options',
		options: [
			{ name: 'Include', value: 'include', description: 'List the A/B hold-out too' },
			{ name: 'Exclude', value: 'exclude', description: 'Leave the A/B hold-out out' },
		],
		default: 'exclude',
		description:
			'Whether the recipients kept back from an A/B test are listed. Without this filter they are left out only when a filter asks who did not click, view or convert.',
	},
	{
		displayName: 'Not Clicked Within the Last (Hours)',
		name: 'notClickedWithinHours',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 24,
		description:
			'Only recipients without a click within this many hours before now (never clicked included)',
	},
	{
		displayName: 'OS',
		name: 'os',
		type: 'string',
		default: '',
		placeholder: 'Android',
		description: 'Only recipients who clicked from this operating system (Android, iOS, Windows…)',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Delivered', value: 'delivered', description: 'A delivery report said delivered' },
			{
				name: 'Failed',
				value: 'failed',
				description: 'The send failed or was reported undelivered, and never delivered',
			},
			{ name: 'Hold-Out', value: 'holdout', description: 'Kept back from the A/B test' },
			{
				name: 'Sent',
				value: 'sent',
				description: 'The SMS provider accepted a message (delivered ones included)',
			},
		],
		default: 'sent',
		description: 'Only recipients whose message got this far',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		description: 'Count views, clicks and conversions before this time (see From)',
	},
	{
		displayName: 'Variant',
		name: 'variant',
		type: 'string',
		default: '',
		placeholder: 'A',
		description: 'Only this A/B variant (for the hold-out, use Status: Hold-Out)',
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

const filterKeys = [
	'status',
	'holdout',
	'clicked',
	'viewed',
	'converted',
	'variant',
	'url',
	'deviceType',
	'os',
	'country',
	'clickedWithinHours',
	'notClickedWithinHours',
	'wave',
];

/** Pages through GET /campaigns/:id/recipients (cursor) until the limit or the end. */
export const execute = perItem(async (ctx, i, http) => {
	const campaignId = requiredCampaignId(ctx, i);
	const returnAll = ctx.getNodeParameter('returnAll', i) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', i) as number);
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const qs: IDataObject = {};
	for (const key of filterKeys) {
		const value = typeof filters[key] === 'string' ? (filters[key] as string).trim() : filters[key];
		if (value !== undefined && value !== '') qs[key] = value;
	}
	for (const bound of ['from', 'to'])
		if (filters[bound]) qs[bound] = new Date(String(filters[bound])).toISOString();
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
