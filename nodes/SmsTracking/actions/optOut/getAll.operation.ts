import type { INodeProperties } from 'n8n-workflow';
import { listOptOuts } from '../../../shared/tracking-api';
import { collectPages, requestedRows, returnAllFields } from '../campaign/list';
import { perItem } from '../common';

const show = { resource: ['optOut'], operation: ['getAll'] };
/** The server's largest page. */
const maxPage = 1000;

export const description: INodeProperties[] = returnAllFields(show);

export const execute = perItem(async (ctx, i, http) => {
	const limit = requestedRows(ctx, i);
	return await collectPages(limit, maxPage, async (pageLimit, cursor) => {
		const page = await listOptOuts(http, { limit: pageLimit, cursor }, i);
		return { rows: page.optOuts, nextCursor: page.nextCursor };
	});
});
