import type { INodeProperties } from 'n8n-workflow';
import { defaultCountryField } from '../common';

/** The Phone Number and its Default Country, shared by Add and Remove. */
export function phoneFields(operation: string): INodeProperties[] {
	const show = { resource: ['optOut'], operation: [operation] };
	return [
		{
			displayName: 'Phone Number',
			name: 'optOutPhone',
			type: 'string',
			required: true,
			default: '',
			placeholder: '+4915112345678',
			description: 'In international format, or national with a Default Country (see Options)',
			displayOptions: { show },
		},
		{
			displayName: 'Options',
			name: 'optOutOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show },
			options: [
				defaultCountryField('numbers'),
				...(operation === 'add'
					? [
							{
								displayName: 'Reason',
								name: 'reason',
								type: 'string' as const,
								default: '',
								placeholder: 'Unsubscribed on the website',
								description:
									'Why the person is on the list, kept with the entry (at most 200 characters)',
							},
						]
					: []),
			],
		},
	];
}
