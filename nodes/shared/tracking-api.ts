import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { baseUrlOf, type Http, type RequestSpec } from './transport';

/**
 * The tracking server's API as both nodes call it: the credential, the paths under /api/v1 and
 * the answers. Remote failures become NodeApiError with the item index (see transport.ts).
 */
export const trackingCredential = 'smsTrackingApi';

type Call = Omit<RequestSpec, 'url'> & { path: string };

async function call<T = IDataObject>(http: Http, spec: Call, itemIndex?: number): Promise<T> {
	const { path, ...rest } = spec;
	return await http.request<T>(trackingCredential, { ...rest, url: `/api/v1${path}` }, itemIndex);
}

const campaignPath = (campaignId: string) => `/campaigns/${encodeURIComponent(campaignId.trim())}`;
const webhookPath = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

/** The tracking server's URL as the credential names it (for callback URLs). */
export async function trackingBaseUrl(http: Http): Promise<string> {
	return baseUrlOf(await http.credentials(trackingCredential));
}

export const createCampaign = async (http: Http, body: IDataObject, itemIndex: number) =>
	await call(http, { method: 'POST', path: '/campaigns', body }, itemIndex);

export const getCampaign = async (http: Http, campaignId: string, itemIndex: number) =>
	await call(http, { method: 'GET', path: campaignPath(campaignId) }, itemIndex);

export interface CampaignsPage {
	campaigns: Array<IDataObject & { id: string; name: string }>;
	nextCursor: string | null;
}

/** GET /campaigns: one page, newest first; `status` active (default), archived or all. */
export const listCampaigns = async (
	http: Http,
	qs: {
		search?: string;
		status?: string;
		createdFrom?: string;
		createdTo?: string;
		limit: number;
		cursor?: string;
	},
	itemIndex?: number,
) =>
	await call<CampaignsPage>(
		http,
		{ method: 'GET', path: '/campaigns', qs: JSON.parse(JSON.stringify(qs)) as IDataObject },
		itemIndex,
	);

export const updateCampaign = async (
	http: Http,
	campaignId: string,
	body: IDataObject,
	itemIndex: number,
) => await call(http, { method: 'PATCH', path: campaignPath(campaignId), body }, itemIndex);

export const setCampaignArchived = async (
	http: Http,
	campaignId: string,
	archived: boolean,
	itemIndex: number,
) =>
	await call(
		http,
		{ method: 'POST', path: `${campaignPath(campaignId)}/${archived ? 'archive' : 'unarchive'}` },
		itemIndex,
	);

/** DELETE /campaigns/:id?confirm=true: the campaign with its links, messages, events and stats. */
export const deleteCampaign = async (http: Http, campaignId: string, itemIndex: number) =>
	await call(
		http,
		{ method: 'DELETE', path: campaignPath(campaignId), qs: { confirm: 'true' } },
		itemIndex,
	);

export const getCampaignStats = async (
	http: Http,
	campaignId: string,
	qs: IDataObject,
	itemIndex: number,
) => await call(http, { method: 'GET', path: `${campaignPath(campaignId)}/stats`, qs }, itemIndex);

export interface RecipientsPage {
	recipients: IDataObject[];
	nextCursor: string | null;
}

export const getRecipientsPage = async (
	http: Http,
	campaignId: string,
	qs: IDataObject,
	itemIndex: number,
) =>
	await call<RecipientsPage>(
		http,
		{ method: 'GET', path: `${campaignPath(campaignId)}/recipients`, qs },
		itemIndex,
	);

export interface EventsPage {
	events: IDataObject[];
	nextCursor: string | null;
}

/** GET /campaigns/:id/events: one page, oldest first (type, recipient, from, to, limit, cursor). */
export const getEventsPage = async (
	http: Http,
	campaignId: string,
	qs: IDataObject,
	itemIndex: number,
) =>
	await call<EventsPage>(
		http,
		{ method: 'GET', path: `${campaignPath(campaignId)}/events`, qs },
		itemIndex,
	);

export const pickWinner = async (
	http: Http,
	campaignId: string,
	body: IDataObject,
	itemIndex: number,
) =>
	await call(http, { method: 'POST', path: `${campaignPath(campaignId)}/winner`, body }, itemIndex);

/**
 * Makes the campaign's A/B set-up this one: a no-op when it already is; the server refuses a
 * change once messages were recorded with other variants, so a running test is never reshuffled.
 */
export async function setVariants(
	http: Http,
	campaignId: string,
	setup: { variants: Array<{ name: string; weight: number; text?: string }>; holdout: number },
	itemIndex: number,
): Promise<void> {
	await call(
		http,
		{
			method: 'PUT',
			path: `${campaignPath(campaignId)}/variants`,
			body: { variants: setup.variants as unknown as IDataObject[], holdout: setup.holdout },
		},
		itemIndex,
	);
}

export interface CreatedLink {
	recipient: string;
	url: string;
	code: string;
	shortUrl: string;
	variant: string | null;
	/** The send wave the link belongs to ("Initial" when the request named none). */
	wave?: string;
}

/** POST /campaigns/:id/links: idempotent, a re-run gets the same codes. */
export async function createLinks(
	http: Http,
	campaignId: string,
	body: IDataObject,
	itemIndex: number,
): Promise<CreatedLink[]> {
	const response = await call<{ links: CreatedLink[] }>(
		http,
		{ method: 'POST', path: `${campaignPath(campaignId)}/links`, body },
		itemIndex,
	);
	return response.links;
}

/** The server takes at most this many messages per call. */
export const maxMessagesPerCall = 10_000;

export interface MessageReport {
	recipient: string;
	variant?: string | null;
	wave?: string;
	provider?: string;
	providerMessageId?: string;
	segments?: number;
	encoding?: string;
	characters?: number;
	status: 'sent' | 'failed' | 'holdout';
	error?: string;
	/** The recipient's metadata for the campaign (the server keeps the latest). */
	metadata?: IDataObject;
	/** Short-link codes the message carried; the server takes the recipient and variant from them. */
	codes?: string[];
	/** The sent text (not stored): the server finds the short links in it. */
	text?: string;
}

/**
 * Records sends, failures and hold-outs (idempotent per provider message id; with
 * `oncePerRecipient` also per recipient and provider for sends without one); returns the count.
 */
export async function recordMessages(
	http: Http,
	campaignId: string,
	messages: MessageReport[],
	itemIndex: number,
	oncePerRecipient = false,
): Promise<number> {
	const body: IDataObject = {
		messages: messages.map((m) => JSON.parse(JSON.stringify(m)) as IDataObject),
		...(oncePerRecipient ? { oncePerRecipient } : {}),
	};
	const response = await call<{ recorded: number }>(
		http,
		{ method: 'POST', path: `${campaignPath(campaignId)}/messages`, body },
		itemIndex,
	);
	return Number(response.recorded) || 0;
}

/** GET /tracking-code: the script and pixel tags (`name`, `value`, `currency` fill the example). */
export const getTrackingCode = async (http: Http, qs: IDataObject, itemIndex: number) =>
	await call(http, { method: 'GET', path: '/tracking-code', qs }, itemIndex);

export const trackConversion = async (http: Http, body: IDataObject, itemIndex: number) =>
	await call(http, { method: 'POST', path: '/conversions', body }, itemIndex);

export interface RemoteSubscription {
	id: string;
	url: string;
	events: string[];
	campaignId: string | null;
	filters?: {
		firstPerRecipient: boolean;
		urlContains: string | null;
		variant: string | null;
		conversionName: string | null;
		wave?: string | null;
	};
	active: boolean;
}

interface FullResponse<T> {
	statusCode: number;
	body: T;
}

/** A status the caller did not expect, as NodeApiError naming what was asked. */
const unexpected = (http: Http, res: FullResponse<unknown>, what: string) =>
	new NodeApiError(http.node, { httpCode: String(res.statusCode), body: res.body } as never, {
		message: `${what} (HTTP ${res.statusCode})`,
	});

const withStatus = { fullResponse: true, ignoreHttpStatusErrors: true };

/** GET /webhooks/:id; undefined when the server does not know it (404). */
export async function getWebhook(http: Http, id: string): Promise<RemoteSubscription | undefined> {
	const path = webhookPath(id);
	const res = await call<FullResponse<RemoteSubscription>>(http, {
		method: 'GET',
		path,
		...withStatus,
	});
	if (res.statusCode === 404) return undefined;
	if (res.statusCode !== 200)
		throw unexpected(http, res, `The tracking server could not be asked about webhook ${id}`);
	return res.body;
}

/** The subscriptions that deliver to this URL. */
export async function listWebhooks(http: Http, url: string): Promise<RemoteSubscription[]> {
	const res = await call<{ webhooks: RemoteSubscription[] }>(http, {
		method: 'GET',
		path: '/webhooks',
		qs: { url },
	});
	return res.webhooks ?? [];
}

export const createWebhook = async (http: Http, body: IDataObject) =>
	await call<{ id: string; secret: string }>(http, { method: 'POST', path: '/webhooks', body });

/** DELETE /webhooks/:id; "already gone" (404) counts as done. */
export async function deleteWebhook(http: Http, id: string): Promise<void> {
	const path = webhookPath(id);
	const res = await call<FullResponse<IDataObject>>(http, {
		method: 'DELETE',
		path,
		...withStatus,
	});
	if (res.statusCode !== 204 && res.statusCode !== 404)
		throw unexpected(http, res, `The tracking server refused to delete webhook ${id}`);
}

/**
 * POST /webhooks/:id/receipts: records that this delivery (its webhook-id) reached the trigger.
 * True when it is the first receipt, false when one existed (a redelivery already run), undefined
 * when the server cannot tell (unreachable, or any other answer): the caller then decides alone.
 */
export async function recordWebhookReceipt(
	http: Http,
	subscriptionId: string,
	deliveryId: string,
): Promise<boolean | undefined> {
	try {
		const res = await call<FullResponse<{ duplicate?: boolean }>>(http, {
			method: 'POST',
			path: `${webhookPath(subscriptionId)}/receipts`,
			body: { deliveryId },
			...withStatus,
		});
		if (res.statusCode === 201) return true;
		if (res.statusCode === 200 && res.body?.duplicate === true) return false;
		return undefined;
	} catch {
		return undefined;
	}
}

/** DELETE /recipients/:phone: erases a person from every campaign; the counts of what went. */
export const eraseRecipient = async (http: Http, phone: string, itemIndex: number) =>
	await call(
		http,
		{ method: 'DELETE', path: `/recipients/${encodeURIComponent(phone)}` },
		itemIndex,
	);

/** Phone numbers per opt-out add or check call (the server's limit). */
export const maxPhonesPerCall = 10_000;

export const addOptOuts = async (
	http: Http,
	phones: string[],
	reason: string | undefined,
	itemIndex: number,
) =>
	await call<{ added: string[]; alreadyListed: number }>(
		http,
		{ method: 'POST', path: '/opt-outs', body: { phones, ...(reason ? { reason } : {}) } },
		itemIndex,
	);

/** Which of these numbers are on the opt-out list. */
export const optedOutAmong = async (http: Http, phones: string[], itemIndex: number) =>
	(
		await call<{ optedOut: string[] }>(
			http,
			{ method: 'POST', path: '/opt-outs/check', body: { phones } },
			itemIndex,
		)
	).optedOut;

/** Takes a number off the list; false when it was not on it. */
export async function removeOptOut(http: Http, phone: string, itemIndex: number): Promise<boolean> {
	try {
		await call(
			http,
			{ method: 'DELETE', path: `/opt-outs/${encodeURIComponent(phone)}` },
			itemIndex,
		);
		return true;
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') return false;
		// A NodeApiError built from a NodeApiError is that same error (n8n-workflow hands it back).
		throw new NodeApiError(http.node, error as JsonObject, { itemIndex });
	}
}

export const listOptOuts = async (
	http: Http,
	qs: { limit: number; cursor?: string },
	itemIndex: number,
) =>
	await call<{ optOuts: IDataObject[]; nextCursor: string | null }>(
		http,
		{ method: 'GET', path: '/opt-outs', qs: JSON.parse(JSON.stringify(qs)) as IDataObject },
		itemIndex,
	);

/** Recipients per send-times call (the server's limit). */
export const maxSendTimeRecipients = 10_000;

export interface RecipientSendTime {
	recipient: string;
	hour: number;
	timeZone: string;
	source: 'recipient' | 'audience' | 'default';
	clicks: number;
}

export interface SendTimes {
	recipients: RecipientSendTime[];
	audience: { clicks: number; hour: number | null; hours: Record<string, number | null> };
}

/** POST /send-times: each recipient's best hour of day, from past clicks (server docs: api.md). */
export const getSendTimes = async (
	http: Http,
	body: {
		recipients: string[];
		timeZone: string;
		minClicks: number;
		defaultHour: number;
		campaignId?: string;
	},
	itemIndex: number,
) => await call<SendTimes>(http, { method: 'POST', path: '/send-times', body }, itemIndex);

/**
 * Takes the lock of a campaign's send wave for `holder` (POST /campaigns/:id/send-locks); the
 * server answers 409 send_in_progress while another holder has it.
 */
export const takeSendLock = async (
	http: Http,
	campaignId: string,
	body: { wave: string; holder: string },
	itemIndex: number,
) =>
	await call<{ heldUntil: string }>(
		http,
		{ method: 'POST', path: `${campaignPath(campaignId)}/send-locks`, body },
		itemIndex,
	);

/** Gives a send wave's lock back (DELETE /campaigns/:id/send-locks/:wave?holder=…). */
export const releaseSendLock = async (
	http: Http,
	campaignId: string,
	wave: string,
	holder: string,
) =>
	await call(http, {
		method: 'DELETE',
		path: `${campaignPath(campaignId)}/send-locks/${encodeURIComponent(wave)}`,
		qs: { holder },
	});
