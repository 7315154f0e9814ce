import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class TwilioApi implements ICredentialType {
	// Not "twilioApi": n8n's built-in Twilio credential has that name.
	name = 'smsTrackingTwilioApi';

	displayName = 'SMS Tracking: Twilio API';

	icon: Icon = {
		light: 'file:../nodes/SmsTracking/smsTracking.svg',
		dark: 'file:../nodes/SmsTracking/smsTracking.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-sms-tracking/n8n-nodes-sms-tracking/blob/main/docs/nodes.md#twilio-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Authenticate With',
			name: 'authType',
			type: 'options',
			options: [
				{
					name: 'Auth Token',
					value: 'authToken',
					description: 'The Account SID and its Auth Token',
				},
				{
					name: 'API Key',
					value: 'apiKey',
					description: 'An API key SID and its secret (recommended for production)',
				},
			],
			default: 'authToken',
		},
		{
			displayName: 'Account SID',
			name: 'accountSid',
			type: 'string',
			default: '',
			placeholder: 'AC…',
			description:
				'The Account SID from the Twilio console (always needed: it is part of every API path)',
			required: true,
		},
		{
			displayName: 'Auth Token',
			name: 'authToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['authToken'] } },
			required: true,
		},
		{
			displayName: 'API Key SID',
			name: 'apiKeySid',
			type: 'string',
			default: '',
			placeholder: 'SK…',
			displayOptions: { show: { authType: ['apiKey'] } },
			required: true,
		},
		{
			displayName: 'API Key Secret',
			name: 'apiKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['apiKey'] } },
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.twilio.com',
			description: 'The Twilio REST API; change it for a regional edge, a proxy or a test server',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username:
					'={{$credentials.authType === "apiKey" ? $credentials.apiKeySid : $credentials.accountSid}}',
				password:
					'={{$credentials.authType === "apiKey" ? $credentials.apiKeySecret : $credentials.authToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '=/2010-04-01/Accounts/{{$credentials.accountSid}}.json',
		},
	};
}
