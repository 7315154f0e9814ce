import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { campaignLocator, filteredCampaignId, searchCampaigns } from '../shared/campaign-locator';
import { recordWebhookReceipt, trackingCredential } from '../shared/tracking-api';
import { httpOf } from '../shared/transport';
import { filterOptions, wantedFilters } from './filters';
import { rememberId } from './recentIds';
import {
	checkExists,
	create,
	unsubscribe,
	type SubscriptionState,
	type WantedSubscription,
} from './subscription';
import { verifyWebhook } from './verify';

/** The subscription the trigger's parameters ask for. */
function wanted(ctx: IHookFunctions): WantedSubscription {
	const events = ctx.getNodeParameter('events', []) as string[];
	const campaignId = filteredCampaignId(ctx);
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n has no webhook URL for this trigger');
	if (events.length === 0)
		throw new NodeOperationError(ctx.getNode(), 'Choose at least one event to listen for');
	return {
		url,
		events: [...events].sort(),
		campaignId: campaignId || null,
		filters: wantedFilters(ctx),
	};
}

const state = (ctx: IHookFunctions | IWebhookFunctions) =>
	ctx.getWorkflowStaticData('node') as SubscriptionState;

export class SmsTrackingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Tracking Trigger',
		name: 'smsTrackingTrigger',
		icon: { light: 'file:smsTrackingTrigger.svg', dark: 'file:smsTrackingTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when a recipient clicks or views a tracked link, converts, an SMS is delivered or fails, or an A/B test is decided',
		defaults: { name: 'SMS Tracking Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: trackingCredential, displayName: 'Credential for SMS Tracking API', required: true },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"The tracking server must be able to reach this trigger's webhook URL. When n8n runs behind a proxy or in a container, set n8n's WEBHOOK_URL to an address the tracking server can reach. Likewise the credential's server URL is seen from n8n: in a container, http://127.0.0.1:8080 is the container itself, not the tracking server.",
				name: 'webhookNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['click'],
				description: 'The events that start the workflow',
				options: [
					{ name: 'Click', value: 'click', description: 'A recipient opened a tracked link' },
					{
						name: 'Conversion',
						value: 'conversion',
						description: 'A recipient converted (landing page script, pixel or API)',
					},
					{
						name: 'Delivered',
						value: 'delivered',
						description: 'The SMS provider reported the message delivered',
					},
					{
						name: 'Failed',
						value: 'failed',
						description: 'The SMS provider reported the message failed',
					},
					{
						name: 'View',
						value: 'view',
						description: "A phone rendered the link's preview: the message was displayed",
					},
					{
						name: 'Winner',
						value: 'winner',
						description:
							"The server decided a campaign's A/B test by its rule: the winning variant and its text, or a tie",
					},
				],
			},
			campaignLocator({
				description: 'Only events of this campaign; leave empty for every campaign',
			}),
			filterOptions,
		],
	};

	methods = { listSearch: { searchCampaigns } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists(httpOf(this), state(this), () => wanted(this));
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create(httpOf(this), state(this), wanted(this));
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await unsubscribe(httpOf(this), state(this));
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const stored = state(this);
		// n8n keeps the exact bytes as rawBody (read on demand by readRawBody when not read yet).
		const req = this.getRequestObject() as unknown as {
			rawBody?: Buffer;
			readRawBody?: () => Promise<void>;
		};
		if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
		const rawBody = req.rawBody;
		const verification =
			stored.secret && rawBody
				? verifyWebhook(
						stored.secret,
						this.getHeaderData() as Record<string, string>,
						rawBody,
						Math.floor(Date.now() / 1000),
					)
				: ({ ok: false, reason: 'no secret or no body' } as const);
		if (!verification.ok) {
			const res = this.getResponseObject();
			res.status(401).json({
				error: { code: 'invalid_signature', message: 'The webhook signature is not valid' },
			});
			return { noWebhookResponse: true };
		}
		// A retry of a delivery this workflow already took (our answer was lost): acknowledge, do not run again.
		// A redelivery is dropped: known to this process, or to the server (which outlives an n8n
		// restart: static data written here is not saved). Without an answer from the server, this
		// process's memory decides alone.
		const duplicate = { webhookResponse: { received: true, duplicate: true } };
		if (!rememberId(stored.subscriptionId ?? 'unknown', verification.id)) return duplicate;
		if (
			stored.subscriptionId &&
			(await recordWebhookReceipt(httpOf(this), stored.subscriptionId, verification.id)) === false
		) {
			return duplicate;
		}
		const body = this.getBodyData() as IDataObject;
		return { workflowData: [this.helpers.returnJsonArray(body)] };
	}
}
