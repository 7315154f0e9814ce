import { startFakeSeven, type FakeSeven } from '../../support/fake-seven';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';
import { testCredential } from '../../support/n8n';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let seven: FakeSeven;
let twilio: FakeTwilio;
beforeAll(async () => {
	[server, seven, twilio] = await Promise.all([
		startTestServer(),
		startFakeSeven(),
		startFakeTwilio(),
	]);
});
afterAll(async () => {
	await Promise.all([server.close(), seven.close(), twilio.close()]);
});

describe('credential tests', () => {
	test("when the seven.io key is right, then the test request (balance) succeeds; a wrong key gets seven.io's 900", async () => {
		expect(
			await testCredential('smsTrackingSevenApi', {
				apiKey: seven.apiKey,
				baseUrl: `${seven.url}/`,
			}),
		).toEqual({ status: 200, body: { amount: 12.34, currency: 'EUR' } });
		expect(
			(await testCredential('smsTrackingSevenApi', { apiKey: 'nope', baseUrl: seven.url })).body,
		).toBe(900);
	});

	test('when the Twilio auth token or API key is right, then the account can be read; a wrong token gets 401', async () => {
		const base = { accountSid: twilio.accountSid, baseUrl: twilio.url };
		expect(
			(
				await testCredential('smsTrackingTwilioApi', {
					...base,
					authType: 'authToken',
					authToken: twilio.authToken,
				})
			).status,
		).toBe(200);
		expect(
			(
				await testCredential('smsTrackingTwilioApi', {
					...base,
					authType: 'apiKey',
					apiKeySid: twilio.apiKeySid,
					apiKeySecret: twilio.apiKeySecret,
				})
			).status,
		).toBe(200);
		expect(
			(
				await testCredential('smsTrackingTwilioApi', {
					...base,
					authType: 'authToken',
					authToken: 'wrong',
				})
			).status,
		).toBe(401);
	});

	test('when the tracking server key is right, then the test request succeeds; a wrong key gets 401', async () => {
		expect(
			(await testCredential('smsTrackingApi', { baseUrl: server.url, apiKey: server.apiKey }))
				.status,
		).toBe(200);
		expect(
			(
				await testCredential('smsTrackingApi', {
					baseUrl: server.url,
					apiKey: 'wrong-key-0123456789',
				})
			).status,
		).toBe(401);
	});
});
