import type { INodeProperties } from 'n8n-workflow';
import * as erase from './erase.operation';

export { erase };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['recipient'] } },
		options: [
			{
				name: 'Erase Data',
				value: 'erase',
				description:
					"Remove a person's phone number, metadata, links, messages and events from every campaign; campaign figures stay as they were",
				action: 'Erase the data of a person',
			},
		],
		default: 'erase',
	},
	...erase.description,
];
