import type { INodeProperties } from 'n8n-workflow';
import { campaignIdField } from '../common';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getRecipients from './getRecipients.operation';
import * as getStats from './getStats.operation';
import * as pickWinner from './pickWinner.operation';

export { create, get, getRecipients, getStats, pickWinner };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a campaign on the tracking server',
				action: 'Create a campaign',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a campaign and its settings',
				action: 'Get a campaign',
			},
			{
				name: 'Get Recipients',
				value: 'getRecipients',
				description: 'List recipients, filtered by clicked, viewed, converted or variant',
				action: 'Get the recipients of a campaign',
			},
			{
				name: 'Get Stats',
				value: 'getStats',
				description:
					'Get the evaluation: sent, delivered, views, clicks, conversions, revenue, per variant and link',
				action: 'Get the stats of a campaign',
			},
			{
				name: 'Pick Winner',
				value: 'pickWinner',
				description: 'Compare the A/B variants and name the winner when it is significant',
				action: 'Pick the winner of an A/B test',
			},
		],
		default: 'create',
	},
	campaignIdField('campaign', ['get', 'getStats', 'getRecipients', 'pickWinner']),
	...create.description,
	...get.description,
	...getStats.description,
	...getRecipients.description,
	...pickWinner.description,
];
