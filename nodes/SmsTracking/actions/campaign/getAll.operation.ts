import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { listCampaigns } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { collectPages, listFields, requestedRows } from './list';

const show = { resource: ['campaign'], operation: ['getAll'] };
/** The server's largest page. */
const maxPage = 500;

export const description: INodeProperties[] = listFields(show, [
	{
		displayName: 'Created After',
		name: 'createdFrom',
		type: 'dateTime',
		default: '',
		description: 'Only campaigns created at or after this time',
	},
	{
		displayName: 'Created Before',
		name: 'createdTo',
		type: 'dateTime',
		default: '',
		description: 'Only campaigns created at or before this time',
	},
	{
		displayName: 'Name Contains',
		name: 'search',
		type: 'string',
		default: '',
		placeholder: 'friday',
		description: 'Only campaigns whose name contains this text, in any case',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		default: 'active',
		options: [
			{ name: 'Active', value: 'active', description: 'Campaigns not archived' },
			{ name: 'Archived', value: 'archived', description: 'Only archived campaigns' },
			{ name: 'All', value: 'all', description: 'Active and archived campaigns' },
		],
	},
]);

/** n8n's dateTime parameter as the ISO 8601 instant the server reads. */
function instant(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date = new Date(String(value));
	return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

export const execute = perItem(async (ctx, i, http) => {
	const limit = requestedRows(ctx, i);
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const query = {
		search: String(filters.search ?? '').trim() || undefined,
		status: (filters.status as string | undefined) || undefined,
		createdFrom: instant(filters.createdFrom),
		createdTo: instant(filters.createdTo),
	};
	return await collectPages(limit, maxPage, async (pageLimit, cursor) => {
		const page = await listCampaigns(http, { ...query, limit: pageLimit, cursor }, i);
		return { rows: page.campaigns, nextCursor: page.nextCursor };
	});
});
