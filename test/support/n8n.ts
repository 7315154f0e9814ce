import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	type IAuthenticateGeneric,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type INodeParameters,
} from 'n8n-workflow';
import { SevenApi } from '../../credentials/SevenApi.credentials';
import { SmsTrackingApi } from '../../credentials/SmsTrackingApi.credentials';
import { TwilioApi } from '../../credentials/TwilioApi.credentials';
import { SmsTracking } from '../../nodes/SmsTracking/SmsTracking.node';

// n8n's error reporter logs every node error, with its stack, through n8n's logger. The tests assert
// those errors on the run result, so that logger stays silent (its level is read on first use).
process.env.N8N_LOG_LEVEL ??= 'silent';

/**
 * Runs our nodes in-process through n8n-core's own execution engine (WorkflowExecute), the way
 * n8n's node test harness does, but with real HTTP: the credentials helper applies each credential
 * type's generic `authenticate` block by resolving its expressions with n8n's expression engine,
 * as n8n's CredentialsHelper does, so headers and basic auth reach the servers for real.
 */
const credentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	[new SmsTrackingApi(), new SevenApi(), new TwilioApi()].map((c) => [c.name, c]),
);

const nodeTypeList: Record<string, INodeType> = {
	'n8n-nodes-sms-tracking.smsTracking': new SmsTracking(),
};

const nodeTypes: INodeTypes = {
	getByName: (type: string) => nodeTypeList[type],
	getByNameAndVersion: (type: string) => nodeTypeList[type],
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

/** A workflow of one SMS Tracking node with these fields, as n8n holds a saved one. */
export function smsTrackingWorkflow(
	workflowId: string,
	fields: Pick<INode, 'id' | 'typeVersion' | 'parameters'> & Partial<INode>,
): { node: INode; workflow: Workflow } {
	const node: INode = {
		name: 'SMS Tracking',
		type: 'n8n-nodes-sms-tracking.smsTracking',
		position: [0, 0],
		...fields,
	};
	const workflow = new Workflow({
		id: workflowId,
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
		settings: {},
	});
	return { node, workflow };
}

function resolve(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials } as IDataObject,
		undefined,
		'',
	);
}

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	) {
		const type = credentialTypes[typeName];
		const auth = type?.authenticate as IAuthenticateGeneric | undefined;
		if (!auth || typeof auth === 'function' || auth.type !== 'generic') return requestOptions;
		const options = requestOptions as unknown as Record<string, Record<string, unknown>>;
		for (const [outer, inner] of Object.entries(auth.properties)) {
			options[outer] ??= {};
			for (const [key, value] of Object.entries(inner as Record<string, unknown>)) {
				options[outer][String(resolve(key, credentials, workflow!, node!))] = resolve(
					value,
					credentials,
					workflow!,
					node!,
				);
			}
		}
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}
	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string) {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(type: string) {
		return credentialTypes[type]?.properties ?? [];
	}
}

export interface NodeRun {
	/** The node's outputs (main[0], main[1] …), or undefined when it failed. */
	outputs: INodeExecutionData[][];
	/** The error that stopped the workflow, if any. */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string | null };
	run: IRun;
}

export interface RunNodeOptions {
	parameters: INodeParameters;
	items: IDataObject[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	/** The node's version as a saved workflow names it (1 unless given). */
	typeVersion?: number;
	/** The execution's id ('1' unless given). */
	executionId?: string;
}

/** Runs the SMS Tracking node once over the items, as n8n's engine does in a manual execution. */
export async function runNode({
	parameters,
	items,
	credentials,
	continueOnFail,
	typeVersion = 1,
	executionId = '1',
}: RunNodeOptions): Promise<NodeRun> {
	const { node, workflow } = smsTrackingWorkflow('test', {
		id: 'a6b1f2c4-0000-4000-8000-000000000001',
		typeVersion,
		parameters,
		credentials: Object.fromEntries(
			Object.keys(credentials).map((type) => [type, { id: type, name: type }]),
		),
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'test',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
	} as never);
	let finish: (run: IRun) => void = () => undefined;
	const done = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));
	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		currentNodeParameters: undefined,
		executionId,
		restApiUrl: 'http://127.0.0.1',
		instanceBaseUrl: 'http://127.0.0.1',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		logAiEvent: () => undefined,
		setExecutionStatus: () => undefined,
		sendDataToUI: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData: IRunExecutionData = {
		resultData: { runData: {} },
		executionData: {
			metadata: {},
			contextData: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{ node, data: { main: [items.map((json) => ({ json }))] }, source: null },
			],
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(
		workflow,
	);
	const run = await done;
	const task = run.data.resultData.runData[node.name]?.[0];
	const error = (task?.error ?? run.data.resultData.error) as NodeRun['error'];
	return { outputs: (task?.data?.main as INodeExecutionData[][] | undefined) ?? [], error, run };
}

/**
 * Runs a credential type's `test` request the way n8n's credential test does: its expressions
 * resolved against the credential data, the type's `authenticate` applied, then real HTTP.
 */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<{ status: number; body: unknown }> {
	const credentialType = credentialTypes[type];
	const { node, workflow } = smsTrackingWorkflow('cred', {
		id: 'c',
		name: 'Credential test',
		typeVersion: 1,
		parameters: {},
	});
	const spec = credentialType.test!.request;
	const base = String(resolve(spec.baseURL ?? '', data, workflow, node));
	const url = `${base}${String(resolve(spec.url ?? '', data, workflow, node))}`;
	const options = (await new TestCredentialsHelper({}).authenticate(
		data,
		type,
		{ url, method: spec.method ?? 'GET', headers: {} },
		workflow,
		node,
	)) as IHttpRequestOptions & {
		auth?: { username: string; password: string };
	};
	const headers: Record<string, string> = Object.fromEntries(
		Object.entries(options.headers ?? {}).map(([k, v]) => [k, String(v)]),
	);
	if (options.auth)
		headers.authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
	const qs = new URLSearchParams(
		Object.entries((spec.qs ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
	).toString();
	const res = await fetch(qs ? `${url}?${qs}` : url, { method: options.method, headers });
	const text = await res.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// keep text
	}
	return { status: res.status, body };
}

/**
 * Calls a listSearch method of the SMS Tracking node as n8n's editor does (n8n-core's
 * LoadOptionsContext, credentials through the same helper as runNode), with real HTTP.
 */
export async function runListSearch(
	method: string,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const nodeType = nodeTypeList['n8n-nodes-sms-tracking.smsTracking'];
	const { node, workflow } = smsTrackingWorkflow('list-search', {
		id: 'a6b1f2c4-0000-4000-8000-000000000002',
		typeVersion: 1,
		parameters: { resource: 'campaign', operation: 'get' },
		credentials: Object.fromEntries(
			Object.keys(credentials).map((type) => [type, { id: type, name: type }]),
		),
	});
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(credentials),
		restApiUrl: 'http://127.0.0.1',
		instanceBaseUrl: 'http://127.0.0.1',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.campaignId');
	const search = nodeType.methods?.listSearch?.[method];
	if (!search) throw new Error(`The node has no listSearch method ${method}`);
	return await search.call(context, filter, paginationToken);
}
