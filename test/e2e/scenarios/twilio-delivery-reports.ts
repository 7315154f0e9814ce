import { createHmac } from 'node:crypto';
import type { FakeTwilio } from '../../support/fake-twilio';
import { subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';

/** Twilio's status callback for a message: form fields signed over the callback URL (X-Twilio-Signature). */
async function statusCallback(url: string, authToken: string, fields: Record<string, string>): Promise<number> {
	const signed = url + Object.keys(fields).sort().map((key) => key + fields[key]).join('');
	const res = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			'x-twilio-signature': createHmac('sha1', authToken).update(signed).digest('base64'),
		},
		body: new URLSearchParams(fields).toString(),
	});
	await res.arrayBuffer();
	return res.status;
}

/**
 * examples/twilio-delivery-reports.json: Send through Twilio with delivery reports, and the trigger
 * on delivered / failed. The local Twilio stand-in takes the sends; its status callbacks are posted
 * to the URL the node gave Twilio, signed with the account's auth token as Twilio signs them.
 */
export function twilioDeliveryReportsScenario(env: () => Environment, twilio: () => FakeTwilio): void {
	describe('Twilio delivery reports (examples/twilio-delivery-reports.json)', () => {
		test('when Twilio reports one message delivered and one undelivered, then the trigger runs the delivered and the failed branch for the right recipient', async () => {
			const { n8n, tracking, receiver, credentials } = env();
			const stub = twilio();
			const twilioCredential = await n8n.createCredential('Twilio account', 'smsTrackingTwilioApi', {
				authType: 'authToken',
				accountSid: stub.accountSid,
				authToken: stub.authToken,
				baseUrl: stub.url,
			});
			const id = await n8n.createWorkflow(
				loadExample(
					'twilio-delivery-reports.json',
					{ ...credentials, smsTrackingTwilioApi: twilioCredential },
					{ 'https://crm.example.com': receiver.url },
				),
			);
			await n8n.activate(id);
			await waitFor(
				'the delivered / failed subscription',
				async () => (await subscriptionsTo(tracking, n8n.url)).some((s) => s.events.includes('delivered') && s.events.includes('failed')),
				15_000,
			);

			const before = stub.received.length;
			await n8n.executeCli(id);
			const [send] = await n8n.waitForExecutions(id, 1);
			expect(send.status).toBe('success');
			const sent = nodeOutput(send, 'Send through Twilio');
			const [ada, grace] = ['+4915112340701', '+4915112340702'];
			expect(sent.map((s) => [s.recipient, s.status, s.provider])).toEqual([
				[ada, 'sent', 'twilio'],
				[grace, 'sent', 'twilio'],
			]);
			// The node sends items concurrently, so Twilio may receive them in either order.
			const sms = stub.received.slice(before);
			expect(stub.violations).toEqual([]);
			expect(sms.map((m) => m.To).sort()).toEqual([ada, grace]);
			const callbackUrl = `${tracking.url}/delivery-reports/twilio`;
			expect(sms.map((m) => m.StatusCallback)).toEqual([callbackUrl, callbackUrl]);
			const sidOf = (to: string) => sms.find((m) => m.To === to)!.sid;

			const base = { AccountSid: stub.accountSid, From: '+15005550006' };
			expect(await statusCallback(callbackUrl, stub.authToken, { ...base, MessageSid: sidOf(ada), To: ada, MessageStatus: 'delivered' })).toBe(204);
			expect(
				await statusCallback(callbackUrl, stub.authToken, { ...base, MessageSid: sidOf(grace), To: grace, MessageStatus: 'undelivered', ErrorCode: '30003' }),
			).toBe(204);

			const delivered = await waitFor('the delivery logged', () => receiver.on('/hooks/sms-delivered')[0], 20_000, 100);
			const failed = await waitFor('the failure told to the CRM', () => receiver.on('/hooks/sms-failed')[0], 20_000, 100);
			const campaignId = sent[0].campaignId;
			expect(delivered.body).toMatchObject({ recipient: ada, campaignId });
			expect(failed.body).toMatchObject({ recipient: grace, campaignId, campaign: 'Appointment reminders' });
			const stats = (await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body;
			expect(stats.totals).toMatchObject({ sent: 2, delivered: 1, failed: 1 });
			await n8n.deactivate(id);
		});
	});
}
