import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { callingCodeOf } from '../../../shared/calling-codes';
import { normalisePhone } from '../../../shared/phone';

/** The item's phone number in E.164, completed by the Default Country option. */
export function optOutPhone(ctx: IExecuteFunctions, itemIndex: number): string {
	const options = ctx.getNodeParameter('optOutOptions', itemIndex, {}) as {
		defaultCallingCode?: string;
	};
	const country = String(options.defaultCallingCode ?? '').trim();
	const callingCode = country ? callingCodeOf(country) : undefined;
	if (country && !callingCode)
		throw new NodeOperationError(ctx.getNode(), `Default Country "${country}" is not a country`, {
			itemIndex,
		});
	const phone = normalisePhone(ctx.getNodeParameter('optOutPhone', itemIndex), callingCode);
	if ('error' in phone)
		throw new NodeOperationError(ctx.getNode(), `Invalid phone number: ${phone.error}`, {
			itemIndex,
		});
	return phone.phone;
}
