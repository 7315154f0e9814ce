import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { HookContext, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeType,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { SmsTrackingApi } from '../../credentials/SmsTrackingApi.credentials';

/**
 * Just enough of an n8n instance to run one trigger node with n8n-core's own execution contexts
 * (HookContext for activation, WebhookContext for incoming calls): real HTTP to the tracking
 * server through n8n-core's httpRequestWithAuthentication, the credential's generic
 * authentication applied, static data kept on the Workflow, and an Express endpoint that captures
 * the raw body the way n8n's webhook server does.
 */
export interface N8nHost {
	/** The node's production webhook URL (what the trigger subscribes). */
	webhookUrl: string;
	workflow: Workflow;
	node: INode;
	staticData(): IDataObject;
	checkExists(): Promise<boolean>;
	create(): Promise<boolean>;
	remove(): Promise<boolean>;
	/** What each webhook() call returned, in order (workflowData when the workflow would run). */
	calls: IWebhookResponseData[];
	close(): Promise<void>;
}

function applyGenericAuth(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): IHttpRequestOptions {
	const auth = new SmsTrackingApi().authenticate;
	const resolve = (template: string) =>
		template.replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, key: string) => String(credentials[key] ?? ''));
	const headers: IDataObject = { ...(options.headers ?? {}) };
	for (const [name, value] of Object.entries(auth.properties.headers ?? {})) headers[name] = resolve(String(value));
	return { ...options, headers };
}

export async function startN8nHost(
	nodeType: INodeType,
	opts: { serverUrl: string; apiKey: string; parameters: IDataObject; webhookId?: string },
): Promise<N8nHost> {
	const calls: IWebhookResponseData[] = [];
	const app = express();
	// n8n keeps the exact bytes of a webhook's body as req.rawBody next to the parsed JSON.
	app.use(express.json({ verify: (req, _res, buf) => ((req as unknown as { rawBody: Buffer }).rawBody = Buffer.from(buf)) }));
	const http: Server = await new Promise((resolve) => {
		const s = app.listen(0, '127.0.0.1', () => resolve(s));
	});
	const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

	const node: INode = {
		id: randomUUID(),
		name: 'SMS Tracking Trigger',
		type: 'n8n-nodes-sms-tracking.smsTrackingTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: opts.webhookId ?? randomUUID(),
		parameters: opts.parameters as INode['parameters'],
		credentials: { smsTrackingApi: { id: 'cred1', name: 'SMS Tracking API' } },
	};
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'wf1',
		name: 'trigger test',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: nodeTypes as never,
		staticData: {},
		settings: {},
	});
	const credentials = { baseUrl: opts.serverUrl, apiKey: opts.apiKey };
	const additionalData = {
		webhookBaseUrl: `${base}/webhook`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		instanceBaseUrl: base,
		variables: {},
		credentialsHelper: {
			getParentTypes: () => [],
			isCredentialUsableByNode: () => true,
			getDecrypted: async () => ({ ...credentials }),
			preAuthentication: async () => undefined,
			authenticate: async (creds: ICredentialDataDecryptedObject, _type: string, options: IHttpRequestOptions) => applyGenericAuth(creds, options),
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const hook = () => new HookContext(workflow, node, additionalData, 'webhook', 'activate');
	const webhookDescription = nodeType.description.webhooks![0];
	const webhookUrl = hook().getNodeWebhookUrl('default')!;
	const path = new URL(webhookUrl).pathname;

	app.post(path, async (req, res) => {
		const context = new WebhookContext(
			workflow,
			node,
			{ ...additionalData, httpRequest: req, httpResponse: res } as IWorkflowExecuteAdditionalData,
			'webhook',
			{ httpMethod: 'POST', node: node.name, path, webhookDescription, workflowId: workflow.id!, webhookId: node.webhookId } as never,
			[],
			null,
		);
		try {
			const result = await nodeType.webhook!.call(context);
			calls.push(result);
			if (result.noWebhookResponse) return; // the node answered itself
			res.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
		} catch (err) {
			res.status(500).json({ message: (err as Error).message });
		}
	});

	return {
		webhookUrl,
		workflow,
		node,
		staticData: () => workflow.getStaticData('node', node),
		checkExists: () => nodeType.webhookMethods!.default.checkExists.call(hook()),
		create: () => nodeType.webhookMethods!.default.create.call(hook()),
		remove: () => nodeType.webhookMethods!.default.delete.call(hook()),
		calls,
		close: () =>
			new Promise((resolve) => {
				http.closeAllConnections();
				http.close(() => resolve());
			}),
	};
}
