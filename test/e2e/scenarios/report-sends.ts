import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput, type WorkflowJson } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { shortLinksIn, userAgents, visit } from '../harness/visit';

const twilioNode = 'Send SMS (Twilio)';

/**
 * n8n's Twilio node always calls https://api.twilio.com (its base URL is fixed in its source and
 * its credential has no URL field), which this suite must never reach. So the example's Twilio
 * node is replaced by an HTTP Request node of the same name making the very request the Twilio
 * node makes (form-encoded To, From, Body, StatusCallback with Basic auth) to the local stand-in,
 * whose answer has the same shape as Twilio's; everything else runs as the user imports it.
 */
function withTwilioStandIn(workflow: WorkflowJson, twilio: FakeTwilio): WorkflowJson {
	const original = workflow.nodes.find((n) => n.name === twilioNode);
	if (!original || original.type !== 'n8n-nodes-base.twilio')
		throw new Error(`the example has no Twilio node "${twilioNode}"`);
	const p = original.parameters;
	const auth = Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64');
	const standIn = {
		...original,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		credentials: undefined,
		parameters: {
			method: 'POST',
			url: `${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Basic ${auth}` }] },
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: {
				parameters: [
					{ name: 'To', value: p.to },
					{ name: 'From', value: p.from },
					{ name: 'Body', value: p.message },
					{ name: 'StatusCallback', value: p.options.statusCallback },
				],
			},
			options: {},
		},
	};
	return { ...workflow, nodes: workflow.nodes.map((n) => (n === original ? standIn : n)) };
}

/** examples/report-sends-twilio.json: Shorten Links → a Twilio send → Report Sends. */
export function reportSendsScenario(env: () => Environment): void {
	describe('sends of another SMS node (examples/report-sends-twilio.json)', () => {
		let twilio: FakeTwilio;
		beforeAll(async () => {
			twilio = await startFakeTwilio();
		});
		afterAll(() => twilio?.close());

		test("when the Twilio node's sends are reported, then the campaign counts them with Twilio's message ids and a click on a sent link shows in the stats", async () => {
			const { n8n, tracking, credentials } = env();
			const workflow = loadExample('report-sends-twilio.json', {
				...credentials,
				twilioApi: { id: 'unused', name: 'unused' },
			});
			const id = await n8n.createWorkflow(withTwilioStandIn(workflow, twilio));
			await n8n.executeCli(id);

			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.data?.resultData.error).toBeUndefined();
			expect(execution.status).toBe('success');
			const campaignId = nodeOutput(execution, 'Create campaign')[0].id;
			expect(twilio.violations).toEqual([]);
			expect(twilio.received.map((sms) => sms.To)).toEqual(['+4915112340001', '+4915112340002']);

			const reported = nodeOutput(execution, 'Report Sends').map((item) => item.reported);
			expect(reported).toEqual(
				twilio.received.map((sms) =>
					expect.objectContaining({
						campaignId,
						recipient: sms.To,
						provider: 'twilio',
						providerMessageId: sms.sid,
						status: 'sent',
						encoding: 'GSM-7',
						segments: 1,
					}),
				),
			);

			const [link] = shortLinksIn(twilio.received[0].Body, tracking.url);
			expect((await visit(link, userAgents.iPhoneSafari)).status).toBe(302);
			const stats = await waitFor(
				'the click in the stats',
				async () => {
					const res = await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
					return res.status === 200 && res.body.totals.clicks === 1 ? res.body : undefined;
				},
				15_000,
			);
			expect(stats.totals).toMatchObject({ sent: 2, clicks: 1, uniqueClickers: 1 });
		});
	});
}
