import type { INodeParameters } from 'n8n-workflow';
import { startFakeSeven, type FakeSeven } from './fake-seven';
import { startTestServer, type TestServer } from './server';

/** A new campaign on the test server; its id. */
export async function newCampaign(server: TestServer, name: string): Promise<string> {
	return (await server.api('POST', '/api/v1/campaigns', { name })).body.id as string;
}

/** Credentials of the tracking API on this server, for runNode. */
export const trackingCredentials = (server: TestServer, baseUrl = server.url) => ({
	smsTrackingApi: { baseUrl, apiKey: server.apiKey },
});

/**
 * The SMS Tracking node's tests that send through seven.io: the tracking server and a fake seven.io
 * start before the file's tests and close after them; `credentials()` names both for runNode.
 */
export function useServerAndSeven() {
	const env = {
		server: undefined as unknown as TestServer,
		seven: undefined as unknown as FakeSeven,
		credentials: () => ({
			...trackingCredentials(env.server),
			smsTrackingSevenApi: { apiKey: env.seven.apiKey, baseUrl: env.seven.url },
		}),
		campaign: (name: string) => newCampaign(env.server, name),
	};
	beforeAll(async () => {
		[env.server, env.seven] = await Promise.all([startTestServer(), startFakeSeven()]);
	});
	afterAll(async () => {
		await Promise.all([env.server.close(), env.seven.close()]);
	});
	return env;
}

/** Message → Send's parameters: each item's `phone` field is its recipient unless `parameters` say otherwise. */
export const sendParameters = (
	campaignId: string,
	parameters: INodeParameters,
): INodeParameters => ({
	resource: 'message',
	operation: 'send',
	campaignId,
	recipient: '={{ $json.phone }}',
	...parameters,
});

/** Message → Send through seven.io as an A/B test of equal-weight variants (`{ A: text, … }`). */
export const abSendParameters = (
	campaignId: string,
	texts: Record<string, string>,
	parameters: INodeParameters = {},
): INodeParameters =>
	sendParameters(campaignId, {
		provider: 'seven',
		abTest: true,
		variants: {
			variant: Object.entries(texts).map(([name, text]) => ({ name, text, weight: 1 })),
		},
		...parameters,
	});

/** One item a phone number, in the `phone` field the send parameters read. */
export const phoneItems = (phones: string[]) => phones.map((phone) => ({ phone }));
