import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { searchCampaigns } from '../shared/campaign-locator';
import { trackingCredential } from '../shared/tracking-api';
import * as campaign from './actions/campaign/Campaign.resource';
import * as conversion from './actions/conversion/Conversion.resource';
import * as event from './actions/event/Event.resource';
import * as message from './actions/message/Message.resource';
import * as optOut from './actions/optOut/OptOut.resource';
import * as recipient from './actions/recipient/Recipient.resource';
import { router } from './actions/router';

export class SmsTracking implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Tracking',
		name: 'smsTracking',
		icon: { light: 'file:smsTracking.svg', dark: 'file:smsTracking.dark.svg' },
		group: ['output'],
		// Version 2 changed defaults only (Conversion → Track attributes by campaign and recipient,
		// Get Stats simplifies): n8n does not save a parameter equal to its default, so a workflow
		// saved with version 1 relies on the old defaults and keeps them.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Send SMS with a tracked short link per recipient through seven.io or Twilio, run A/B tests, read campaign stats',
		defaults: { name: 'SMS Tracking' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Send with an A/B test has a second output for the hold-out.
		outputs: `={{ $parameter["resource"] === "message" && $parameter["operation"] === "send" && $parameter["sendMode"] !== "winnerToHoldout" && $parameter["abTest"] === true ? [{ "type": "main", "displayName": "Sent" }, { "type": "main", "displayName": "Hold-Out" }] : [{ "type": "main" }] }}`,
		// The provider credentials follow `provider` through `hide`, not through its values under
		// `show`: n8n's editor takes a parameter all of whose values appear under credentials'
		// `displayOptions.show` for an authentication switch, hides it and every parameter it depends
		// on (Resource, Operation) and offers the provider credentials in the SMS Tracking API slot.
		// The editor reads only `show` for that, so every parameter stays in the panel. It labels the
		// provider slots "Credential for <type>" but an always-required slot just "Credential": the
		// displayName names that one's type.
		credentials: [
			{ name: trackingCredential, displayName: 'Credential for SMS Tracking API', required: true },
			{
				name: 'smsTrackingSevenApi',
				required: true,
				displayOptions: {
					show: { resource: ['message'], operation: ['send'] },
					hide: { provider: ['twilio'] },
				},
			},
			{
				name: 'smsTrackingTwilioApi',
				required: true,
				displayOptions: {
					show: { resource: ['message'], operation: ['send'] },
					hide: { provider: ['seven'] },
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
					{
						name: 'Campaign',
						value: 'campaign',
						description:
							'Create, list, update, archive and delete campaigns; read stats and recipients; pick the A/B winner',
					},
					{
						name: 'Conversion',
						value: 'conversion',
						description: 'Record conversions server to server',
					},
					{
						name: 'Event',
						value: 'event',
						description: 'List the clicks, views, conversions and delivery reports of a campaign',
					},
					{ name: 'Message', value: 'message', description: 'Shorten links and send SMS' },
					{
						name: 'Opt-Out',
						value: 'optOut',
						description: 'The phone numbers that must not be sent SMS (Send leaves them out)',
					},
					{
						name: 'Recipient',
						value: 'recipient',
						description: "Erase a person's data from every campaign",
					},
				],
				default: 'message',
			},
			...message.description,
			...campaign.description,
			...conversion.description,
			...optOut.description,
			...event.description,
			...recipient.description,
		],
	};

	methods = { listSearch: { searchCampaigns } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
