import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SevenApi implements ICredentialType {
	name = 'smsTrackingSevenApi';

	displayName = 'SMS Tracking: Seven.io API';

	icon: Icon = {
		light: 'file:../nodes/SmsTracking/smsTracking.svg',
		dark: 'file:../nodes/SmsTracking/smsTracking.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-sms-tracking/n8n-nodes-sms-tracking/blob/main/docs/nodes.md#seven-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Your seven.io API key (Developer → API keys in the seven.io dashboard)',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://gateway.seven.io',
			description: 'The seven.io gateway; change it only for a proxy or a test server',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-Api-Key': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/balance',
		},
	};
}
