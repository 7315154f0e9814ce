import type { INodeProperties } from 'n8n-workflow';
import { campaignIdField } from '../common';
import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List the clicks, views, conversions and delivery reports of a campaign, oldest first',
				action: 'Get many events',
			},
		],
		default: 'getAll',
	},
	campaignIdField('event', ['getAll']),
	...getAll.description,
];
