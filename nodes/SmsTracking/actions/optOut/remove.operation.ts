import type { INodeProperties } from 'n8n-workflow';
import { removeOptOut } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { phoneFields } from './fields';
import { optOutPhone } from './phone';

export const description: INodeProperties[] = phoneFields('remove');

/** Removing a number that is not on the list is not an error: `removed` says which it was. */
export const execute = perItem(async (ctx, i, http) => {
	const phone = optOutPhone(ctx, i);
	return { phone, optedOut: false, removed: await removeOptOut(http, phone, i) };
});
