import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SmsTrackingApi implements ICredentialType {
	name = 'smsTrackingApi';

	displayName = 'SMS Tracking API';

	icon: Icon = { light: 'file:../nodes/SmsTracking/smsTracking.svg', dark: 'file:../nodes/SmsTracking/smsTracking.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-sms-tracking/n8n-nodes-sms-tracking/blob/main/docs/nodes.md#sms-tracking-api-credential';

	properties: INodeProperties[] = [
		{
			displayName:
				"Use the address n8n reaches the tracking server at. When n8n runs in a container, http://127.0.0.1:8080 is the container itself: use the tracking server's host name instead (e.g. http://sms-tracking:8080 on a shared Docker network).",
			name: 'serverUrlNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Server URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:8080',
			placeholder: 'https://go.example.com',
			description: 'Base URL of your SMS tracking server as n8n reaches it (what it printed at start, or its public URL)',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The API key of the tracking server (API_KEY, the key it printed at first start, or a key from /api/v1/keys with the scopes the workflow needs)',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			// Any valid key may read this, whatever its scopes (a webhooks-only key for the trigger too).
			url: '/api/v1/keys/self',
		},
	};
}
