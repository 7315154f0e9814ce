import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { campaignWithLinks, subscriptionsTo } from './harness/campaigns';
import { Editor } from './harness/editor';
import { startEnvironment, type Environment } from './harness/environment';
import { loadExample, nodeOutput, type WorkflowJson } from './harness/examples';
import { OWNER } from './harness/n8n';
import { waitFor } from './harness/processes';
import { shortLinksIn, userAgents, visit } from './harness/visit';

// Workflows built by hand in n8n's editor (Chromium): the node picker, the panel's own parameter
// and credential controls, Save and Execute, then the execution records. Its own n8n, so the
// scenarios in n8n.test.ts keep theirs untouched.
let env: Environment | undefined;
let browser: Browser | undefined;
let editor: Editor;
let twilio: { id: string; name: string };
const environment = (): Environment => {
	if (!env) throw new Error('the environment did not start');
	return env;
};

beforeAll(async () => {
	env = await startEnvironment();
	twilio = await env.n8n.createCredential('Twilio account', 'smsTrackingTwilioApi', {
		authType: 'authToken',
		accountSid: 'AC00000000000000000000000000000000',
		authToken: 'editor-test-token',
		baseUrl: 'http://127.0.0.1:9',
	});
	browser = await launchBrowser();
	editor = await Editor.signIn(browser, env.n8n.url, OWNER);
}, 300_000);

afterAll(async () => {
	await browser?.close();
	await env?.stop();
}, 120_000);

const API = 'Credential for SMS Tracking API';
const SEVEN = 'Credential for SMS Tracking: Seven.io API';
const TWILIO = 'Credential for SMS Tracking: Twilio API';
const MANUAL = 'When clicking ‘Execute workflow’';
const SEND = 'Send an SMS with tracked links';
const TRACK = 'Track a conversion';
const STATS = 'Get the stats of a campaign';

type SavedNode = WorkflowJson['nodes'][number];

/** The workflow as n8n stored it, once `ready` says the editor's last edits are in. */
async function savedWorkflow(
	id: string,
	ready: (nodes: Record<string, SavedNode>) => boolean,
): Promise<Record<string, SavedNode>> {
	return await waitFor(
		`workflow ${id} saved with the panel's values`,
		async () => {
			const workflow = await environment().n8n.api<WorkflowJson>('GET', `/workflows/${id}`);
			const nodes = Object.fromEntries(workflow.nodes.map((node) => [node.name, node]));
			return ready(nodes) ? nodes : undefined;
		},
		15_000,
	);
}

describe("workflows built in n8n's editor", () => {
	test('when a builder adds Send, Track and Get Stats from the picker and sets them up in the panel, then each slot offers its credential type and the saved workflow runs', async () => {
		const { n8n, tracking, seven, credentials } = environment();
		const campaign = await tracking.api('POST', '/api/v1/campaigns', {
			name: 'Built in the editor',
			conversionTracking: true,
			currency: 'EUR',
		});
		expect(campaign.status).toBe(201);
		const campaignId: string = campaign.body.id;
		const recipient = '+4915112349001';
		const sentBefore = seven.received.length;

		await editor.newWorkflow();
		await editor.addFirstStep('Manual', 'Manual Trigger');

		// Message → Send: Resource, Operation and Provider in the panel; one slot per credential type.
		await editor.addAfter(MANUAL, 0, 'SMS Tracking', 'SMS Tracking', SEND);
		expect(await editor.value('resource')).toBe('Message');
		expect(await editor.value('operation')).toBe('Send');
		expect(await editor.value('provider')).toBe('Seven.io');
		expect((await editor.credentialSlots()).map((slot) => slot.label)).toEqual([API, SEVEN]);
		await editor.selectCredential(API, credentials.smsTrackingApi);
		await editor.selectCredential(SEVEN, credentials.smsTrackingSevenApi);

		// Switching the provider swaps the provider slot and keeps the SMS Tracking API one.
		await editor.choose('provider', 'Twilio');
		expect(await editor.credentialSlots()).toEqual([
			{ label: API, credential: credentials.smsTrackingApi.name },
			{ label: TWILIO, credential: expect.any(String) },
		]);
		await editor.selectCredential(TWILIO, twilio);
		expect(await editor.shows('messagingServiceSid')).toBe(true);
		await editor.screenshot('01-send-provider-twilio');
		// n8n forgets the choice of a slot it stops showing, so the seven.io slot comes back empty.
		await editor.choose('provider', 'Seven.io');
		expect(await editor.credentialSlots()).toEqual([
			{ label: API, credential: credentials.smsTrackingApi.name },
			{ label: SEVEN, credential: expect.any(String) },
		]);

		// Another operation of the same resource needs no provider credential; back on Send it returns.
		await editor.choose('operation', 'Shorten Links');
		expect(await editor.shows('provider')).toBe(false);
		expect(await editor.credentialSlots()).toEqual([
			{ label: API, credential: credentials.smsTrackingApi.name },
		]);
		await editor.choose('operation', 'Send');
		expect(await editor.credentialSlots()).toEqual([
			{ label: API, credential: credentials.smsTrackingApi.name },
			{ label: SEVEN, credential: expect.any(String) },
		]);
		await editor.selectCredential(SEVEN, credentials.smsTrackingSevenApi);

		await editor.pickFromList('campaignId', 'Built in the editor');
		await editor.fill('recipient', recipient);
		await editor.fill('text', 'Our sale is on: https://shop.example.com/sale');
		await editor.fill('from', 'MyShop');
		await editor.screenshot('02-send-seven');

		// Conversion → Track.
		await editor.addAfter(SEND, 0, 'SMS Tracking', 'SMS Tracking', TRACK);
		expect(await editor.value('resource')).toBe('Conversion');
		expect(await editor.value('operation')).toBe('Track');
		expect((await editor.credentialSlots()).map((slot) => slot.label)).toEqual([API]);
		await editor.selectCredential(API, credentials.smsTrackingApi);
		await editor.choose('attributeBy', 'Campaign and Recipient');
		await editor.pickFromList('conversionCampaignId', 'Built in the editor');
		await editor.fill('conversionRecipient', recipient);
		await editor.fill('conversionName', 'purchase');
		await editor.addField('Value', 'value', '49.9');
		await editor.addField('Currency', 'currency', 'EUR');
		await editor.screenshot('03-track');

		// Campaign → Get Stats.
		await editor.addAfter(TRACK, 0, 'SMS Tracking', 'SMS Tracking', STATS);
		expect(await editor.value('resource')).toBe('Campaign');
		expect(await editor.value('operation')).toBe('Get Stats');
		expect((await editor.credentialSlots()).map((slot) => slot.label)).toEqual([API]);
		// A credential made where the README says: in the slot, Create new credential.
		const created = await editor.createCredential(API, {
			baseUrl: tracking.url,
			apiKey: tracking.apiKey,
		});
		await editor.pickFromList('campaignId', 'Built in the editor');
		await editor.screenshot('04-get-stats');

		await editor.save();
		const id = await editor.workflowId();
		const nodes = await savedWorkflow(
			id,
			(saved) => picked(saved[STATS]?.parameters.campaignId) === campaignId,
		);
		// n8n leaves parameters at their default (Resource Message, Operation Send, Provider seven.io) out.
		expect({
			resource: 'message',
			operation: 'send',
			provider: 'seven',
			...nodes[SEND].parameters,
		}).toMatchObject({
			resource: 'message',
			operation: 'send',
			provider: 'seven',
			campaignId: fromList(campaignId),
			recipient,
			text: 'Our sale is on: https://shop.example.com/sale',
			from: 'MyShop',
		});
		expect(nodes[SEND].credentials).toMatchObject({
			smsTrackingApi: { id: credentials.smsTrackingApi.id },
			smsTrackingSevenApi: { id: credentials.smsTrackingSevenApi.id },
		});
		// Version 2 attributes by campaign and recipient by default, so n8n may leave it out.
		expect({ attributeBy: 'recipient', ...nodes[TRACK].parameters }).toMatchObject({
			resource: 'conversion',
			attributeBy: 'recipient',
			conversionCampaignId: fromList(campaignId),
			conversionRecipient: recipient,
			conversionFields: { value: 49.9, currency: 'EUR' },
		});
		expect(nodes[STATS].parameters).toMatchObject({
			resource: 'campaign',
			operation: 'getStats',
			campaignId: fromList(campaignId),
		});
		expect(nodes[TRACK].credentials).toEqual({ smsTrackingApi: credentials.smsTrackingApi });
		expect(nodes[STATS].credentials).toEqual({
			smsTrackingApi: { id: expect.any(String), name: created },
		});
		expect(nodes[STATS].credentials?.smsTrackingApi.id).not.toBe(credentials.smsTrackingApi.id);

		await editor.execute();
		const [execution] = await n8n.waitForExecutions(id, 1, 60_000);
		await editor.screenshot('05-executed');
		expect(execution.data?.resultData.error).toBeUndefined();
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, SEND)).toEqual([
			expect.objectContaining({ recipient, status: 'sent' }),
		]);
		const texts = seven.received.slice(sentBefore);
		expect(texts).toHaveLength(1);
		expect(texts[0]).toMatchObject({
			from: 'MyShop',
			to: expect.stringContaining('4915112349001'),
		});
		expect(shortLinksIn(texts[0].text, tracking.url)).toHaveLength(1);
		expect(nodeOutput(execution, TRACK)).toHaveLength(1);
		// A node added now is version 2: Get Stats simplifies, the campaign's totals come first.
		const [totals] = nodeOutput(execution, STATS);
		expect(totals).toMatchObject({ campaignId, variant: null, sent: 1, conversions: 1 });
		expect(Number(totals.revenue)).toBe(49.9);
	});

	test('when a builder adds the SMS Tracking Trigger from the picker and picks its credential, then the activated workflow runs on a click', async () => {
		const { n8n, tracking, credentials } = environment();
		const recipient = '+4915112349002';
		const { campaignId, links } = await campaignWithLinks(tracking, 'Trigger built in the editor', [
			recipient,
		]);

		await editor.newWorkflow();
		await editor.addFirstStep('SMS Tracking', 'SMS Tracking', 'On click');
		expect((await editor.credentialSlots()).map((slot) => slot.label)).toEqual([API]);
		await editor.selectCredential(API, credentials.smsTrackingApi);
		await editor.pickFromList('campaignId', 'Trigger built in the editor');
		await editor.screenshot('06-trigger');
		await editor.save();
		const id = await editor.workflowId();
		const nodes = await savedWorkflow(
			id,
			(saved) => picked(saved['SMS Tracking Trigger']?.parameters.campaignId) === campaignId,
		);
		const trigger = nodes['SMS Tracking Trigger'];
		expect(trigger.parameters.events ?? ['click']).toEqual(['click']);
		expect(trigger.credentials).toEqual({ smsTrackingApi: credentials.smsTrackingApi });

		await n8n.activate(id);
		await waitFor(
			'the click subscription',
			async () =>
				(await subscriptionsTo(tracking, n8n.url)).some((s) => s.events.includes('click')),
			15_000,
		);
		expect((await visit(links[recipient], userAgents.androidChrome)).status).toBe(302);
		const [execution] = await n8n.waitForExecutions(id, 1);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'SMS Tracking Trigger')).toEqual([
			expect.objectContaining({ type: 'click', recipient, campaignId }),
		]);
		await n8n.deactivate(id);
	});

	test('when examples/campaign-with-tracking.json is opened in the editor, then every field shows the value it was imported with', async () => {
		const { n8n, credentials } = environment();
		const example = loadExample('campaign-with-tracking.json', credentials);
		const id = await n8n.createWorkflow(example);
		const imported = Object.fromEntries(example.nodes.map((node) => [node.name, node.parameters]));
		const source = (value: string) => value.replace(/^=/, '');
		await editor.openWorkflow(id);

		await editor.openNode('Create campaign');
		expect(await editor.value('resource')).toBe('Campaign');
		expect(await editor.value('operation')).toBe('Create');
		expect(await editor.value('name')).toBe(imported['Create campaign'].name);
		expect(await editor.credentialSlots()).toEqual([
			{ label: API, credential: credentials.smsTrackingApi.name },
		]);
		await editor.screenshot('07-example-create-campaign');

		await editor.openNode('Send SMS');
		const send = imported['Send SMS'];
		expect(await editor.value('resource')).toBe('Message');
		expect(await editor.value('operation')).toBe('Send');
		expect(send.provider).toBe('seven');
		expect(await editor.value('provider')).toBe('Seven.io');
		for (const parameter of ['campaignId', 'recipient', 'text', 'from']) {
			expect([parameter, await editor.value(parameter)]).toEqual([
				parameter,
				source(send[parameter]),
			]);
		}
		expect(await editor.credentialSlots()).toEqual([
			{ label: API, credential: credentials.smsTrackingApi.name },
			{ label: SEVEN, credential: credentials.smsTrackingSevenApi.name },
		]);
		await editor.screenshot('08-example-send');
		await editor.closeNdv();
	});
});

/** The id a campaign parameter holds: a resource locator's value, or a plain id saved before. */
function picked(parameter: unknown): unknown {
	return parameter && typeof parameter === 'object'
		? (parameter as { value?: unknown }).value
		: parameter;
}

/** A campaign picked in the resource locator's list. */
function fromList(campaignId: string) {
	return expect.objectContaining({ __rl: true, mode: 'list', value: campaignId });
}
