import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	NodeParameterValue,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { trackingCredential } from '../shared/tracking-api';
import * as campaign from './actions/campaign/Campaign.resource';
import * as conversion from './actions/conversion/Conversion.resource';
import * as message from './actions/message/Message.resource';
import { router } from './actions/router';

export class SmsTracking implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Tracking',
		name: 'smsTracking',
		icon: { light: 'file:smsTracking.svg', dark: 'file:smsTracking.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Send SMS with a tracked short link per recipient through seven.io or Twilio, run A/B tests, read campaign stats',
		defaults: { name: 'SMS Tracking' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Send has a second output for the A/B hold-out.
		outputs: `={{ $parameter["resource"] === "message" && $parameter["operation"] === "send" ? [{ "type": "main", "displayName": "Sent" }, { "type": "main", "displayName": "Hold-Out" }] : [{ "type": "main" }] }}`,
		// The provider credentials name `provider` through `_cnd` conditions, not plain value lists:
		// n8n's editor takes a parameter all of whose values appear in credentials' displayOptions for
		// an authentication switch, hides it and every parameter it depends on (Resource, Operation)
		// and offers the provider credentials in the SMS Tracking API slot. With conditions the editor
		// finds no such switch, so every parameter stays in the panel and each slot keeps its type.
		// (n8n-workflow types credentials' displayOptions as plain values only, hence the casts.)
		credentials: [
			{ name: trackingCredential, required: true },
			{
				name: 'smsTrackingSevenApi',
				required: true,
				displayOptions: {
					show: {
						resource: ['message'],
						operation: ['send'],
						provider: [{ _cnd: { eq: 'seven' } } as unknown as NodeParameterValue],
					},
				},
			},
			{
				name: 'smsTrackingTwilioApi',
				required: true,
				displayOptions: {
					show: {
						resource: ['message'],
						operation: ['send'],
						provider: [{ _cnd: { eq: 'twilio' } } as unknown as NodeParameterValue],
					},
				},
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Message', value: 'message', description: 'Shorten links and send SMS' },
					{
						name: 'Campaign',
						value: 'campaign',
						description: 'Create campaigns, read stats and recipients, pick the A/B winner',
					},
					{
						name: 'Conversion',
						value: 'conversion',
						description: 'Record conversions server to server',
					},
				],
				default: 'message',
			},
			...message.description,
			...campaign.description,
			...conversion.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
