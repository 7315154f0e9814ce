import type { INodeProperties } from 'n8n-workflow';
import { campaignIdField, defaultCountryField } from '../common';

const show = { resource: ['message'], operation: ['reportSends'] };

/** Report Sends: what another SMS node sent, item by item. */
export const reportSendsFields: INodeProperties[] = [
	campaignIdField('message', ['reportSends']),
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.to }}',
		description:
			'Phone number the message went to, in international format or national with a Default Country (see options)',
		displayOptions: { show },
	},
	{
		displayName: 'Provider',
		name: 'reportProvider',
		type: 'options',
		options: [
			{ name: 'MessageBird', value: 'messagebird' },
			{ name: 'Other', value: 'other' },
			{ name: 'Seven', value: 'seven' },
			{ name: 'Twilio', value: 'twilio' },
			{ name: 'Vonage', value: 'vonage' },
		],
		default: 'twilio',
		description:
			'Who sent the message. Twilio and seven delivery reports update messages of that provider by their message ID. An expression may name any other provider (letters, digits, - or _).',
		displayOptions: { show },
	},
	{
		displayName: 'Provider Message ID',
		name: 'providerMessageId',
		type: 'string',
		default: '',
		placeholder: '={{ $json.sid }}',
		description:
			"The provider's ID of the message (Twilio's sid, seven's message ID). A send with the same provider and ID is recorded once. Without an ID, a recipient's send is recorded once per campaign and provider.",
		displayOptions: { show },
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'string',
		default: 'sent',
		placeholder: '={{ $json.status }}',
		description:
			"Sent, failed, or holdout (a recipient an A/B test kept back, not sent). Provider statuses are understood: queued, accepted, scheduled, sending count as sent; undelivered, rejected as failed. Delivery comes later from the provider's delivery reports.",
		displayOptions: { show },
	},
	{
		displayName: 'Sent Text',
		name: 'sentText',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: '={{ $json.body }}',
		description:
			'The text that was sent: its short links tie the send to their recipient, and its segments and encoding are counted from it',
		displayOptions: { show },
	},
	{
		displayName: 'Shortened Links',
		name: 'sentLinks',
		type: 'string',
		default: '',
		placeholder: "={{ $('Shorten Links').item.json.links }}",
		description:
			'The short links the message carried, as Shorten Links outputs them (links[].code), or codes or short URLs separated by commas. Use this when the text is not at hand.',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'reportOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			defaultCountryField('recipients'),
			{
				displayName: 'Error Message',
				name: 'error',
				type: 'string',
				default: '',
				description: "Why a failed message failed (the provider's error)",
			},
			{
				displayName: 'Variant',
				name: 'variant',
				type: 'string',
				default: '',
				description:
					"The A/B variant the message belongs to; without it, the variant of the message's short links",
			},
			{
				displayName: 'Wave',
				name: 'wave',
				type: 'string',
				default: '',
				description:
					'The send wave the message belongs to (needs a tracking server that knows waves)',
			},
		],
	},
];
