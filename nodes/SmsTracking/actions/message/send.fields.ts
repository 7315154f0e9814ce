import type { INodeProperties } from 'n8n-workflow';
import { scheduleFields } from './schedule.fields';

const send = { resource: ['message'], operation: ['send'] };
const winnerMode = { sendMode: ['winnerToHoldout'] };

/** What Send sends to whom; shown right under Operation (Message.resource.ts). */
export const sendModeFields: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'sendMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Each Item',
				value: 'items',
				description: "Send each input item's text to its recipient (optionally as an A/B test)",
			},
			{
				name: 'Winning Variant → Hold-Out',
				value: 'winnerToHoldout',
				description:
					"Send the campaign's recorded A/B winner to its hold-out: everyone the wave has not reached yet, read from the tracking server",
			},
		],
		default: 'items',
		displayOptions: { show: send },
	},
	{
		displayName:
			"Reads the winner recorded on the campaign (by the server's A/B rule or Pick Winner with Record Winner) and the text the A/B send stored for it, then sends it to every hold-out recipient the wave has not reached yet. One input item per campaign is enough, e.g. the <code>winner</code> trigger event; a re-run sends nobody twice.",
		name: 'winnerModeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...send, ...winnerMode } },
	},
	{
		displayName: 'Wave',
		name: 'wave',
		type: 'string',
		default: 'Winner',
		description:
			'The send wave of the winner send: its own short links and stats. A hold-out recipient this wave already reached is not sent again.',
		displayOptions: { show: { ...send, ...winnerMode } },
	},
];

export const sendFields: INodeProperties[] = [
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		options: [
			{ name: 'Seven.io', value: 'seven', description: 'Send through seven.io (POST /api/sms)' },
			{
				name: 'Twilio',
				value: 'twilio',
				description: 'Send through Twilio Programmable Messaging',
			},
		],
		default: 'seven',
		description: 'The SMS provider that sends the messages',
		displayOptions: { show: send },
	},
	{
		displayName: 'Sender',
		name: 'from',
		type: 'string',
		default: '',
		placeholder: 'MyShop',
		description:
			'Sender ID: up to 11 letters or 16 digits for seven.io; a Twilio number or alphanumeric sender for Twilio (leave empty with a messaging service)',
		displayOptions: { show: send },
	},
	{
		displayName: 'Messaging Service SID',
		name: 'messagingServiceSid',
		type: 'string',
		default: '',
		placeholder: 'MG…',
		description:
			'Send through a Twilio messaging service instead of (or in addition to) a sender number',
		displayOptions: { show: { ...send, provider: ['twilio'] } },
	},
	{
		displayName: 'A/B Test',
		name: 'abTest',
		type: 'boolean',
		default: false,
		description:
			'Whether to test 2 to 4 texts against each other; each recipient gets one variant, chosen deterministically from the campaign and the recipient',
		displayOptions: { show: send, hide: winnerMode },
	},
	{
		displayName: 'Variants',
		name: 'variants',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Variant',
		default: {
			variant: [
				{ name: 'A', text: '', weight: 1 },
				{ name: 'B', text: '', weight: 1 },
			],
		},
		description: 'Two to four texts; weights set the split (1 and 1: half each)',
		displayOptions: { show: { ...send, abTest: [true] }, hide: winnerMode },
		options: [
			{
				displayName: 'Variant',
				name: 'variant',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: 'A',
						description: 'Letters, digits, - or _ (e.g. A)',
					},
					{
						displayName: 'Text',
						name: 'text',
						type: 'string',
						typeOptions: { rows: 3 },
						default: '',
						description: 'The SMS text of this variant',
					},
					{
						displayName: 'Weight',
						name: 'weight',
						type: 'number',
						typeOptions: { minValue: 0.0001 },
						default: 1,
						description: 'Relative share of the recipients',
					},
				],
			},
		],
	},
	{
		displayName: 'Hold-Out (%)',
		name: 'holdoutPercent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 95 },
		default: 0,
		description:
			'Share of recipients kept back from the test (not sent; they leave on the Hold-Out output) to receive the winner later',
		displayOptions: { show: { ...send, abTest: [true] }, hide: winnerMode },
	},
	...scheduleFields,
	{
		displayName: 'Send Options',
		name: 'sendOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: send },
		options: [
			{
				displayName: 'Delivery Report Base URL',
				name: 'deliveryReportBaseUrl',
				type: 'string',
				default: '',
				placeholder: 'https://go.example.com',
				description:
					"Public URL of the tracking server for Twilio's status callbacks, when it differs from the credential's server URL",
				displayOptions: { show: { '/provider': ['twilio'] } },
			},
			{
				displayName: 'Foreign ID',
				name: 'foreignId',
				type: 'string',
				default: '',
				description:
					'Your own ID for the message, returned in seven.io delivery reports (up to 64 of a-z, A-Z, 0-9, .-_@)',
				displayOptions: { show: { '/provider': ['seven'] } },
			},
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				description: 'A seven.io label to group messages in its statistics',
				displayOptions: { show: { '/provider': ['seven'] } },
			},
			{
				displayName: 'Parallel Sends',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: 5,
				description: 'How many messages are handed to the provider at the same time',
			},
			{
				displayName: 'Request Delivery Reports',
				name: 'deliveryReports',
				type: 'boolean',
				default: false,
				description:
					'Whether Twilio should post status changes to the tracking server (/delivery-reports/twilio), which records delivered and failed events',
				displayOptions: { show: { '/provider': ['twilio'] } },
			},
			{
				displayName: 'Schedule For',
				name: 'delay',
				type: 'dateTime',
				default: '',
				description: 'Send later: seven.io holds the message until this time',
				displayOptions: { show: { '/provider': ['seven'] } },
			},
		],
	},
];
