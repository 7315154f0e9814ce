import type { INodeProperties } from 'n8n-workflow';
import * as track from './track.operation';

export { track };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversion'] } },
		options: [
			{
				name: 'Track',
				value: 'track',
				description:
					'Record a conversion (purchase, signup …) server to server, by campaign and recipient or by click ID',
				action: 'Track a conversion',
			},
		],
		default: 'track',
	},
	...track.description,
];
