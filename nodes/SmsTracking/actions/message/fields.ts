import type { INodeProperties } from 'n8n-workflow';
import { campaignIdField, defaultCountryField } from '../common';

const both = { resource: ['message'], operation: ['shorten', 'send'] };
/** Send's "Winning Variant → Hold-Out" reads recipients and text from the server. */
const winnerMode = { sendMode: ['winnerToHoldout'] };

/** The fields Shorten and Send share: campaign, recipient, text and the link options. */
export const messageFields: INodeProperties[] = [
	campaignIdField('message', ['shorten', 'send']),
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+4915112345678',
		description:
			'Phone number of the recipient, in international format or national with a default country calling code (see options)',
		displayOptions: { show: both, hide: winnerMode },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'Hi {{ $json.firstName }}, our sale starts now: https://shop.example/sale',
		description:
			'The SMS text; every http(s) link in it becomes a short link of its own for this recipient',
		displayOptions: { show: both, hide: { abTest: [true], ...winnerMode } },
	},
	{
		displayName: 'Wave',
		name: 'wave',
		type: 'string',
		default: '',
		placeholder: 'e.g. Initial, Reminder or Winner',
		description:
			'Name of this send: each wave gets its own short links, and its clicks, CTR and conversions are reported apart. Empty: one new wave per execution (a re-run of the same execution reuses its links).',
		displayOptions: { show: { ...both, '@version': [{ _cnd: { gte: 2 } }] }, hide: winnerMode },
	},
	{
		displayName: 'Wave',
		name: 'wave',
		type: 'string',
		default: '',
		placeholder: 'e.g. Reminder',
		description:
			'Name of this send: each wave gets its own short links, and its clicks, CTR and conversions are reported apart. Empty: the wave "Initial" (every send of this node version before waves).',
		displayOptions: { show: { ...both, '@version': [1] }, hide: winnerMode },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: both },
		options: [
			{
				displayName: 'Also Shorten Links Like www.shop.example',
				name: 'bareWww',
				type: 'boolean',
				default: false,
				description:
					'Whether links written without http:// or https:// that start with "www." are shortened too',
			},
			{
				displayName: 'Check Landing Pages First',
				name: 'checkDestinations',
				type: 'options',
				options: [
					{ name: 'Off', value: 'off', description: 'Do not request the landing pages' },
					{
						name: 'Warn',
						value: 'warn',
						description: 'Add a warning to the items whose landing page does not answer with 2xx',
					},
					{
						name: 'Fail',
						value: 'fail',
						description: 'Fail those items (they are not shortened or sent)',
					},
				],
				default: 'off',
				description:
					'Whether to request each distinct destination once (10 s timeout) before shortening: a broken or slow landing page wastes a campaign',
			},
			defaultCountryField('numbers'),
			{
				displayName: 'Leave a Link Untracked if It Would Add a Segment',
				name: 'keepOriginalIfLonger',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep an original link (untracked) when its short link would add a segment',
			},
			{
				displayName: 'Link Expiry',
				name: 'expiresAt',
				type: 'dateTime',
				default: '',
				description:
					"When the short links stop redirecting (they go to the campaign's fallback URL after that)",
			},
			{
				displayName: 'Recipient Metadata',
				name: 'metadata',
				type: 'json',
				default: '',
				placeholder: '{ "contactId": "c-42", "firstName": "Ana" }',
				description:
					'A JSON object stored with the recipient for this campaign (the latest send wins; at most 2 KB by default): Get Recipients returns it and every trigger event carries it, so a follow-up needs no lookup',
			},
			{
				displayName: 'Warn When a Link Is Not Last',
				name: 'hintLinkNotAtEnd',
				type: 'boolean',
				default: true,
				description:
					'Whether to warn when a link is not the last thing in the text: phones build a link preview (a measurable view) mostly when it is',
			},
			{
				displayName: 'Write Short Links Without https://',
				name: 'omitHttps',
				type: 'boolean',
				default: false,
				description:
					'Whether to write short links without https:// (8 characters less; phones still make them clickable)',
			},
		],
	},
];
