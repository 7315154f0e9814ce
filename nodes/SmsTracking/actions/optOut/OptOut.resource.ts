import type { INodeProperties } from 'n8n-workflow';
import * as add from './add.operation';
import * as getAll from './getAll.operation';
import * as remove from './remove.operation';

export { add, getAll, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['optOut'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: 'Put a phone number on the opt-out list: Send leaves it out from now on',
				action: 'Stop sending SMS to a phone number',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the opted-out phone numbers, newest first',
				action: 'Get many phone numbers that opted out',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Take a phone number off the list (the person opted in again)',
				action: 'Allow SMS to a phone number again',
			},
		],
		default: 'add',
	},
	...add.description,
	...getAll.description,
	...remove.description,
];
