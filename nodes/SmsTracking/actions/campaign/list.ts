import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Return All and Limit, as n8n's list operations word them (Limit shows only without Return All). */
export function returnAllFields(show: Record<string, string[]>): INodeProperties[] {
	return [
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
}

/** The list operations' fields (Get Many, Get Recipients): Return All and Limit, then the operation's Filters. */
export function listFields(
	show: Record<string, string[]>,
	filters: INodeProperties['options'],
): INodeProperties[] {
	return [
		...returnAllFields(show),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			displayOptions: { show },
			options: filters,
		},
	];
}

/**
 * Follows a cursor-paged list until `limit` rows (Infinity for all) or its end, asking for at most
 * `maxPage` rows a request (the server's largest page).
 */
export async function collectPages(
	limit: number,
	maxPage: number,
	fetchPage: (
		pageLimit: number,
		cursor: string | undefined,
	) => Promise<{ rows: IDataObject[]; nextCursor?: string | null }>,
): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	let cursor: string | undefined;
	do {
		const page = await fetchPage(Math.min(maxPage, limit - rows.length), cursor);
		rows.push(...page.rows.slice(0, limit - rows.length));
		cursor = page.nextCursor ?? undefined;
	} while (cursor && rows.length < limit);
	return rows;
}

/** How many rows Return All and Limit ask for (Infinity for all); a limit below 1 fails the item. */
export function requestedRows(ctx: IExecuteFunctions, itemIndex: number): number {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', itemIndex, 50) as number);
	if (!(limit >= 1))
		throw new NodeOperationError(ctx.getNode(), 'Limit must be at least 1', { itemIndex });
	return limit;
}
