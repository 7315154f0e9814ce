import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * The list operations' fields (Get Many, Get Recipients): Return All and Limit, as n8n's list
 * operations word them (Limit shows only without Return All), then the operation's Filters.
 */
export function listFields(
	show: Record<string, string[]>,
	filters: INodeProperties['options'],
): INodeProperties[] {
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
