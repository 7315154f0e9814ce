import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { listOptOuts } from '../../../shared/tracking-api';
import { collectPages } from '../campaign/list';
import { perItem } from '../common';

const show = { resource: ['optOut'], operation: ['getAll'] };
/** The server's largest page. */
const maxPage = 1000;

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];

export const execute = perItem(async (ctx, i, http) => {
	const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', i, 50) as number);
	if (!(limit >= 1))
		throw new NodeOperationError(ctx.getNode(), 'Limit must be at least 1', { itemIndex: i });
	return await collectPages(limit, maxPage, async (pageLimit, cursor) => {
		const page = await listOptOuts(http, { limit: pageLimit, cursor }, i);
		return { rows: page.optOuts, nextCursor: page.nextCursor };
	});
});
