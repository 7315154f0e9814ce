import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { pickWinner } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { requiredCampaignId } from '../../../shared/campaign-locator';

const show = { resource: ['campaign'], operation: ['pickWinner'] };

export const description: INodeProperties[] = [
	{
		displayName:
			"Returns the winning variant's name in <code>winner</code>. The tracking server keeps the variants' names, not their texts: choose the winning text by that name, e.g. with a Switch node on <code>{{ $json.winner }}</code>.",
		name: 'winnerNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Metric',
		name: 'metric',
		type: 'options',
		options: [
			{ name: 'Click Rate', value: 'ctr', description: 'Unique clickers per message sent' },
			{
				name: 'Conversion Rate',
				value: 'conversionRate',
				description: 'Unique converters per message sent',
			},
		],
		default: 'ctr',
		description:
			'What the variants are compared by (two-proportion z-test of the leader against the runner-up)',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'winnerOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Confidence',
				name: 'confidence',
				type: 'number',
				typeOptions: { minValue: 0.5, maxValue: 0.999, numberPrecision: 3 },
				default: 0.95,
				description: 'How sure the test must be (0.95: p-value below 0.05)',
			},
			{
				displayName: 'Minimum Sample per Variant',
				name: 'minSamplePerVariant',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 100,
				description: 'Recipients each variant needs before a winner is named',
			},
			{
				displayName: 'Record Winner',
				name: 'record',
				type: 'boolean',
				default: false,
				description:
					'Whether to store the winner on the campaign (shown in stats and the dashboard)',
			},
		],
	},
];

export const execute = perItem(async (ctx, i, http) => {
	const options = ctx.getNodeParameter('winnerOptions', i, {}) as IDataObject;
	const body: IDataObject = { metric: ctx.getNodeParameter('metric', i) as string };
	if (options.confidence !== undefined) body.confidence = Number(options.confidence);
	if (options.minSamplePerVariant !== undefined)
		body.minSamplePerVariant = Math.round(Number(options.minSamplePerVariant));
	if (options.record !== undefined) body.record = options.record === true;
	return await pickWinner(http, requiredCampaignId(ctx, i), body, i);
});
