import type { INodeProperties } from 'n8n-workflow';

const send = { resource: ['message'], operation: ['send'] };
const later = ['recipientHour', 'audienceHour', 'at'];
const bestHour = ['recipientHour', 'audienceHour'];

/** Send's Schedule parameter and its settings (helpers/schedule.ts does the work). */
export const scheduleFields: INodeProperties[] = [
	{
		displayName: 'Schedule',
		name: 'schedule',
		type: 'options',
		options: [
			{ name: 'Send Now', value: 'now', description: 'Hand every message to the provider now' },
			{
				name: 'Best Hour per Recipient',
				value: 'recipientHour',
				description:
					'At the hour of day each recipient clicked most in past campaigns; the audience’s best hour for recipients with too few clicks',
			},
			{
				name: 'Best Hour of the Audience',
				value: 'audienceHour',
				description: 'At the hour of day the audience clicked most, on each recipient’s clock',
			},
			{ name: 'At a Time', value: 'at', description: 'All messages at one date and time' },
		],
		default: 'now',
		description:
			'When the provider sends the messages; the node hands them over now with a send time (seven.io: delay; Twilio: SendAt)',
		displayOptions: { show: send },
	},
	{
		displayName:
			'Twilio schedules messages only through a Messaging Service: fill in Messaging Service SID. Send times must be 15 minutes to 35 days ahead.',
		name: 'twilioScheduleNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...send, provider: ['twilio'], schedule: later } },
	},
	{
		displayName: 'Send At',
		name: 'scheduleAt',
		type: 'dateTime',
		default: '',
		description: 'When the provider sends the messages',
		displayOptions: { show: { ...send, schedule: ['at'] } },
	},
	{
		displayName: 'Schedule Options',
		name: 'scheduleOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { ...send, schedule: bestHour } },
		options: [
			{
				displayName: 'Audience',
				name: 'audience',
				type: 'options',
				options: [
					{
						name: 'All Campaigns',
						value: 'all',
						description: 'Everyone’s clicks in every campaign',
					},
					{ name: 'This Campaign', value: 'campaign', description: 'The clicks of this campaign' },
				],
				default: 'all',
				description: 'Whose clicks make the audience’s best hour',
			},
			{
				displayName: 'Minimum Clicks',
				name: 'minClicks',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 3,
				description:
					'Clicks a recipient needs (across campaigns) before their own best hour is used instead of the audience’s',
				displayOptions: { show: { '/schedule': ['recipientHour'] } },
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description:
					'IANA time zone the hours are read in; empty: each recipient’s own, from the country of their number',
			},
		],
	},
];
