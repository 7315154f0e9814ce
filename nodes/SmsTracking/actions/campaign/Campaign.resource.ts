import type { INodeProperties } from 'n8n-workflow';
import { campaignIdField } from '../common';
import * as archive from './archive.operation';
import * as create from './create.operation';
import * as deleteOperation from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getRecipients from './getRecipients.operation';
import * as getStats from './getStats.operation';
import * as getTrackingCode from './getTrackingCode.operation';
import * as pickWinner from './pickWinner.operation';
import * as unarchive from './unarchive.operation';
import * as update from './update.operation';

export {
	archive,
	create,
	deleteOperation,
	get,
	getAll,
	getRecipients,
	getStats,
	getTrackingCode,
	pickWinner,
	unarchive,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Archive',
				value: 'archive',
				description:
					'Hide a campaign from lists and the campaign picker; its short links keep redirecting',
				action: 'Archive a campaign',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a campaign on the tracking server',
				action: 'Create a campaign',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a campaign with its links, messages, events and stats',
				action: 'Delete a campaign',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a campaign and its settings',
				action: 'Get a campaign',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List campaigns, filtered by name, status and creation time',
				action: 'Get many campaigns',
			},
			{
				name: 'Get Recipients',
				value: 'getRecipients',
				description:
					'List a segment of recipients: by status, hold-out, clicked, viewed, converted, link, device, OS, country or recent clicks',
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
				name: 'Get Tracking Code',
				value: 'getTrackingCode',
				description:
					'Get the script and pixel tags for the landing and confirmation pages, so conversions on the site are attributed to the SMS',
				action: 'Get the conversion tracking code',
			},
			{
				name: 'Pick Winner',
				value: 'pickWinner',
				description: 'Compare the A/B variants and name the winner when it is significant',
				action: 'Pick the winner of an A/B test',
			},
			{
				name: 'Unarchive',
				value: 'unarchive',
				description: 'List an archived campaign again',
				action: 'Unarchive a campaign',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the name, conversion tracking, fallback URL, UTM, cost or currency',
				action: 'Update a campaign',
			},
		],
		default: 'create',
	},
	campaignIdField('campaign', [
		'get',
		'getStats',
		'getRecipients',
		'getTrackingCode',
		'pickWinner',
		'update',
		'archive',
		'unarchive',
		'delete',
	]),
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteOperation.description,
	...getStats.description,
	...getRecipients.description,
	...pickWinner.description,
	...getTrackingCode.description,
];
