import type { INodeProperties } from 'n8n-workflow';
import { messageFields } from './fields';
import * as reportSends from './reportSends.operation';
import { sendModeFields } from './send.fields';
import * as send from './send.operation';
import * as shorten from './shorten.operation';

export { reportSends, send, shorten };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Report Sends',
				value: 'reportSends',
				description:
					'Record messages another node sent (Twilio, seven, MessageBird, Vonage, HTTP Request…) so their stats, hold-out, conversions and delivery reports work',
				action: 'Report sends made by another node',
			},
			{
				name: 'Send',
				value: 'send',
				description:
					'Shorten the links per recipient, send each SMS through seven.io or Twilio, and record the sends',
				action: 'Send an SMS with tracked links',
			},
			{
				name: 'Shorten Links',
				value: 'shorten',
				description:
					'Replace every link in the text with a short link of its own for the recipient, and count the segments',
				action: 'Shorten the links in an SMS',
			},
		],
		default: 'send',
	},
	...sendModeFields,
	...messageFields,
	...shorten.description,
	...send.description,
	...reportSends.description,
];
