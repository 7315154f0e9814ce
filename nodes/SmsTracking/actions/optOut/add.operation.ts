import type { INodeProperties } from 'n8n-workflow';
import { addOptOuts } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { phoneFields } from './fields';
import { optOutPhone } from './phone';

export const description: INodeProperties[] = phoneFields('add');

export const execute = perItem(async (ctx, i, http) => {
	const phone = optOutPhone(ctx, i);
	const reason = String(
		(ctx.getNodeParameter('optOutOptions', i, {}) as { reason?: string }).reason ?? '',
	).trim();
	const result = await addOptOuts(http, [phone], reason || undefined, i);
	return { phone, optedOut: true, alreadyListed: result.added.length === 0 };
});
