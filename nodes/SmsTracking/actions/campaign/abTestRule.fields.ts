import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * The "A/B Test Rule" collection: how the server concludes the campaign's A/B test by itself and
 * calls the `winner` trigger. Plain labels here; abTestRuleBody turns them into the API's
 * abTestRule (docs/api.md#ab-test-rules).
 */
export const abTestRuleField = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'A/B Test Rule',
	name: 'abTestRule',
	type: 'collection',
	placeholder: 'Add Rule Setting',
	default: {},
	description:
		'Let the server pick the winner of the A/B test by itself (needs the variants: run an A/B Send first); a Winner trigger then starts with the result',
	displayOptions: { show },
	options: [
		{
			displayName: 'At the Deadline',
			name: 'atDeadline',
			type: 'options',
			default: 'leader',
			description: 'What happens when the deadline comes and no variant won clearly',
			options: [
				{
					name: 'Take the Leader',
					value: 'leader',
					description: 'The variant with the best rate wins',
				},
				{ name: 'Declare a Tie', value: 'tie', description: 'No variant wins' },
			],
		},
		{
			displayName: 'Confidence',
			name: 'confidence',
			type: 'options',
			default: '0.95',
			description: 'How sure the server must be that the leader is really better',
			options: [
				{ name: '90 %', value: '0.9' },
				{ name: '95 %', value: '0.95' },
				{ name: '99 %', value: '0.99' },
			],
		},
		{
			displayName: 'Deadline (Hours After First Send)',
			name: 'deadlineAfterHours',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 72,
			description:
				'Latest decision, counted from the first send (with Decide "After Hours" or "As Soon As Clear")',
		},
		{
			displayName: 'Deadline (Time)',
			name: 'deadlineAt',
			type: 'dateTime',
			default: '',
			description:
				'Latest decision as a date and time (with Decide "At a Time" or "As Soon As Clear")',
		},
		{
			displayName: 'Decide',
			name: 'decide',
			type: 'options',
			default: 'afterDuration',
			description: 'When the server may decide',
			options: [
				{
					name: 'After Hours From the First Send',
					value: 'afterDuration',
					description: 'Once "Decide After (Hours)" have passed since the first send',
				},
				{ name: 'At a Time', value: 'atTime', description: 'From "Decide At" on' },
				{
					name: 'As Soon As Clear',
					value: 'whenMet',
					description: 'As soon as one variant is better with the chosen confidence',
				},
			],
		},
		{
			displayName: 'Decide After (Hours)',
			name: 'decideAfterHours',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 24,
			description: 'With Decide "After Hours From the First Send"',
		},
		{
			displayName: 'Decide At',
			name: 'decideAt',
			type: 'dateTime',
			default: '',
			description: 'With Decide "At a Time"',
		},
		{
			displayName: 'Metric',
			name: 'metric',
			type: 'options',
			default: 'ctr',
			description: 'What makes a variant better',
			options: [
				{
					name: 'Click Rate',
					value: 'ctr',
					description: 'Recipients who clicked, of those sent to',
				},
				{
					name: 'Conversion Rate',
					value: 'conversionRate',
					description: 'Recipients who converted, of those sent to',
				},
			],
		},
		{
			displayName: 'Minimum Recipients per Variant',
			name: 'minSamplePerVariant',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 100,
			description: 'No variant wins on significance before each has been sent to this many',
		},
	],
});

const isoTime = (node: INode, value: unknown, label: string, itemIndex: number) => {
	const time = new Date(String(value));
	if (Number.isNaN(time.getTime()))
		throw new NodeOperationError(node, `${label} is not a date and time`, { itemIndex });
	return time.toISOString();
};

/**
 * The API's abTestRule from the collection, or undefined when no setting was added. Only the
 * fields the chosen Decide uses are sent; a deadline is taken in the form that Decide allows
 * (hours after the first send for "After Hours", a time for "At a Time").
 */
export function abTestRuleBody(
	node: INode,
	fields: IDataObject,
	itemIndex: number,
): IDataObject | undefined {
	if (Object.keys(fields).length === 0) return undefined;
	const decide = String(fields.decide ?? 'afterDuration');
	const rule: IDataObject = {
		metric: fields.metric ?? 'ctr',
		confidence: Number(fields.confidence ?? '0.95'),
		minSamplePerVariant: Number(fields.minSamplePerVariant ?? 100),
		decide,
		atDeadline: fields.atDeadline ?? 'leader',
	};
	if (decide === 'afterDuration') rule.decideAfterHours = Number(fields.decideAfterHours ?? 24);
	if (decide === 'atTime') {
		if (!fields.decideAt)
			throw new NodeOperationError(node, 'Decide "At a Time" needs Decide At', { itemIndex });
		rule.decideAt = isoTime(node, fields.decideAt, 'Decide At', itemIndex);
	}
	const deadlineAt = fields.deadlineAt
		? isoTime(node, fields.deadlineAt, 'Deadline (Time)', itemIndex)
		: undefined;
	if (decide === 'atTime' || (decide === 'whenMet' && deadlineAt)) {
		if (!deadlineAt)
			throw new NodeOperationError(node, 'Decide "At a Time" needs Deadline (Time)', { itemIndex });
		rule.deadlineAt = deadlineAt;
	} else {
		rule.deadlineAfterHours = Number(fields.deadlineAfterHours ?? 72);
	}
	return rule;
}
