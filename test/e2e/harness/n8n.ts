import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './ports';
import { startProcess, waitFor, type Started } from './processes';

/** What install.js returns: the cached Node 24 and n8n. */
export interface Installed {
	node: string;
	nodeBin: string;
	nodeHome: string;
	n8nBin: string;
}

export interface Execution {
	id: string;
	finished: boolean;
	mode: string;
	status: string;
	workflowId: string;
	startedAt: string;
	stoppedAt?: string | null;
	data?: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: any }> | null> }; error?: { message: string } }>>;
			error?: { message: string; description?: string };
			lastNodeExecuted?: string;
		};
	};
}

const ENCRYPTION_KEY = 'e2e-only-encryption-key-not-a-secret';
/** The owner account the harness sets up (the editor tests sign in with it). */
export const OWNER = { email: 'owner@e2e.test', firstName: 'End', lastName: 'ToEnd', password: 'E2e-Passw0rd!' };

/** A real n8n started headless on 127.0.0.1 from the cached install, with its own user folder. */
export class N8n {
	readonly url: string;
	apiKey = '';
	private proc?: Started;
	private cookie = '';

	private constructor(
		private readonly installed: Installed,
		readonly userFolder: string,
		readonly port: number,
		private readonly brokerPort: number,
		private readonly logDir: string,
	) {
		this.url = `http://127.0.0.1:${port}`;
	}

	static async create(installed: Installed, userFolder: string, logDir: string): Promise<N8n> {
		mkdirSync(path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
		return new N8n(installed, userFolder, await freePort(), await freePort(), logDir);
	}

	/** Where n8n's community-package installer puts packages: `<user folder>/.n8n/nodes`. */
	get nodesFolder(): string {
		return path.join(this.userFolder, '.n8n', 'nodes');
	}

	environment(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
		return {
			PATH: `${this.installed.nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
			HOME: process.env.HOME ?? this.userFolder,
			TMPDIR: process.env.TMPDIR ?? '/tmp',
			N8N_USER_FOLDER: this.userFolder,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(this.port),
			N8N_PROTOCOL: 'http',
			N8N_WEBHOOK_URL: `${this.url}/`,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_SECURE_COOKIE: 'false',
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			// 2.41 only: this module's start-up fetch fails offline.
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			...overrides,
		};
	}

	async start(): Promise<void> {
		if (this.proc && !this.proc.exited()) throw new Error('n8n is already running');
		const proc = startProcess({
			name: 'n8n',
			command: this.installed.node,
			args: [this.installed.n8nBin, 'start'],
			env: this.environment(),
			cwd: this.userFolder,
			logDir: this.logDir,
		});
		this.proc = proc;
		await waitFor(
			'n8n to be ready (/healthz/readiness)',
			async () => {
				if (proc.exited()) throw new Error(`n8n exited during start; see ${proc.logFile}:\n${proc.output().slice(-4000)}`);
				const res = await fetch(`${this.url}/healthz/readiness`);
				return res.ok;
			},
			120_000,
			250,
		);
	}

	async stop(): Promise<void> {
		await this.proc?.stop(20_000);
	}

	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	output(): string {
		return this.proc?.output() ?? '';
	}

	/** The owner account and a public-API key, without a browser (kept across restarts). */
	async setUpOwnerAndApiKey(): Promise<void> {
		const setup = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (!setup.ok) throw new Error(`owner setup failed: ${setup.status} ${await setup.text()}`);
		const cookie = setup.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('owner setup returned no n8n-auth cookie');
		this.cookie = cookie.split(';')[0];
		const scopes = (await this.rest('GET', '/rest/api-keys/scopes')).data as string[];
		const created = await this.rest('POST', '/rest/api-keys', { label: 'e2e', scopes, expiresAt: null });
		this.apiKey = created.data.rawApiKey;
		if (!this.apiKey) throw new Error(`no API key in ${JSON.stringify(created)}`);
	}

	/** n8n's internal REST API, as the editor calls it (cookie of the owner). */
	async rest(method: string, restPath: string, body?: unknown): Promise<any> {
		const res = await fetch(this.url + restPath, {
			method,
			headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${restPath} → ${res.status} ${text}`);
		return text ? JSON.parse(text) : undefined;
	}

	/** n8n's public API (`/api/v1`, X-N8N-API-KEY). */
	async api<T = any>(method: string, apiPath: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.url}/api/v1${apiPath}`, {
			method,
			headers: { 'x-n8n-api-key': this.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /api/v1${apiPath} → ${res.status} ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
		const created = await this.api<{ id: string; name: string }>('POST', '/credentials', { name, type, data });
		return { id: created.id, name: created.name };
	}

	async createWorkflow(workflow: { name: string; nodes: unknown[]; connections: unknown; settings?: unknown }): Promise<string> {
		const created = await this.api<{ id: string }>('POST', '/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? { executionOrder: 'v1' },
		});
		return created.id;
	}

	async activate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/activate`);
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/deactivate`);
	}

	/** The workflow's executions, newest first, each with its data. */
	async executions(workflowId: string): Promise<Execution[]> {
		const list = await this.api<{ data: Execution[] }>('GET', `/executions?workflowId=${workflowId}&includeData=true&limit=100`);
		return list.data;
	}

	/** Waits until the workflow has `count` finished executions (any status but running/new). */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 30_000): Promise<Execution[]> {
		return waitFor(
			`${count} finished execution(s) of workflow ${workflowId}`,
			async () => {
				const all = await this.executions(workflowId);
				const done = all.filter((e) => !['running', 'new', 'waiting'].includes(e.status));
				return done.length >= count ? done : undefined;
			},
			timeoutMs,
			300,
		);
	}

	/**
	 * Runs a workflow that starts with a Manual Trigger the way `n8n execute` does (a second n8n
	 * process on the same database, with its own task-runner port); resolves with its output.
	 */
	async executeCli(workflowId: string): Promise<string> {
		const proc = startProcess({
			name: `execute-${workflowId}`,
			command: this.installed.node,
			args: [this.installed.n8nBin, 'execute', `--id=${workflowId}`],
			env: this.environment({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) }),
			cwd: this.userFolder,
			logDir: this.logDir,
		});
		const timeout = setTimeout(() => void proc.stop(1_000), 150_000);
		const code = await proc.exit();
		clearTimeout(timeout);
		await proc.stop();
		if (code !== 0) throw new Error(`n8n execute --id=${workflowId} exited with ${code}; see ${proc.logFile}:\n${proc.output().slice(-4000)}`);
		return proc.output();
	}
}
