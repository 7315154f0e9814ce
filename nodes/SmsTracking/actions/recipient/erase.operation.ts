import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { callingCodeOf } from '../../../shared/calling-codes';
import { normalisePhone } from '../../../shared/phone';
import { eraseRecipient } from '../../../shared/tracking-api';
import { defaultCountryField, perItem } from '../common';

const show = { resource: ['recipient'], operation: ['erase'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Phone Number',
		name: 'recipientPhone',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+4915112345678',
		description: 'The person to erase, in international format, or national with a Default Country',
		displayOptions: { show },
	},
	{
		displayName: 'Erase for Good',
		name: 'eraseForGood',
		type: 'boolean',
		default: false,
		description:
			"Whether to erase the person's data from every campaign; this cannot be undone. Their short links stop working and an opt-out entry is kept.",
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'recipientOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [defaultCountryField('the number')],
	},
];

/** One erasure per item; a number nothing is stored about comes back with zero counts. */
export const execute = perItem(async (ctx, i, http) => {
	const options = ctx.getNodeParameter('recipientOptions', i, {}) as {
		defaultCallingCode?: string;
	};
	const country = String(options.defaultCallingCode ?? '').trim();
	const callingCode = country ? callingCodeOf(country) : undefined;
	if (country && !callingCode)
		throw new NodeOperationError(ctx.getNode(), `Default Country "${country}" is not a country`, {
			itemIndex: i,
		});
	const phone = normalisePhone(ctx.getNodeParameter('recipientPhone', i), callingCode);
	if ('error' in phone)
		throw new NodeOperationError(ctx.getNode(), `Invalid phone number: ${phone.error}`, {
			itemIndex: i,
		});
	if (ctx.getNodeParameter('eraseForGood', i, false) !== true)
		throw new NodeOperationError(
			ctx.getNode(),
			'Nothing was erased: turn on "Erase for Good" to erase this person\'s data from every campaign',
			{ itemIndex: i },
		);
	return { phone: phone.phone, ...(await eraseRecipient(http, phone.phone, i)) };
});
