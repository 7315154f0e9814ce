import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/** Everything the server reads from its environment. This file is the only reader of process.env. */
export interface Config {
	port: number;
	host: string;
	/** Absent: run the embedded PostgreSQL (PGlite) with its data under dataDir. */
	databaseUrl?: string;
	databasePoolSize: number;
	dataDir: string;
	/** API keys in plain text as given; hashed by the auth middleware at boot. */
	apiKeys: string[];
	/** 'env': the operator's secret from API_KEY; 'file': generated on first start into dataDir/api-key. */
	apiKeySource: 'env' | 'file';
	/** Absent: the URL the server listens on (fine locally; set it for anything public). */
	publicBaseUrl?: string;
	fallbackUrl?: string;
	codeLength: number;
	bodyLimit: string;
	maxLinksPerRequest: number;
	/** Calling code used to normalise national numbers (leading 0) to E.164, e.g. "49". */
	defaultCallingCode?: string;
	logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
	shutdownTimeoutMs: number;
	trustProxy: string | boolean;
	/** Twilio auth tokens that sign status callbacks (several: one per account or during rotation); empty: endpoint off. */
	twilioAuthTokens: string[];
	/** Secret that seven.io's delivery-report URL must carry (?token=); absent: endpoint off. */
	sevenWebhookToken?: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
	const value = Number(raw);
	if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
	return value;
}

function httpUrl(env: Env, name: string): string | undefined {
	const raw = env[name];
	if (raw === undefined || raw === '') return undefined;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new ConfigError(`${name} must use http or https, got "${url.protocol}"`);
	}
	return raw;
}

function readOrCreateApiKey(dataDir: string): string {
	const file = path.join(dataDir, 'api-key');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	mkdirSync(dataDir, { recursive: true });
	const key = 'sk_' + randomBytes(24).toString('base64url');
	writeFileSync(file, key + '\n', { mode: 0o600 });
	return key;
}

export function loadConfig(env: Env = process.env): Config {
	const port = integer(env, 'PORT', 8080, 0, 65535);
	const host = env.HOST || '127.0.0.1';
	const dataDir = path.resolve(env.DATA_DIR || '.data');

	const databaseUrl = env.DATABASE_URL || undefined;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
	}

	let apiKeys = (env.API_KEY ?? '')
		.split(',')
		.map((key) => key.trim())
		.filter(Boolean);
	let apiKeySource: Config['apiKeySource'] = 'env';
	if (apiKeys.some((key) => key.length < 16)) {
		throw new ConfigError('API_KEY must be at least 16 characters (comma-separate several keys to rotate)');
	}
	if (apiKeys.length === 0) {
		apiKeys = [readOrCreateApiKey(dataDir)];
		apiKeySource = 'file';
	}

	const publicBaseUrl = httpUrl(env, 'PUBLIC_BASE_URL')?.replace(/\/+$/, '');
	const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
	if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
		throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent; got "${logLevel}"`);
	}
	const callingCode = env.DEFAULT_CALLING_CODE?.replace(/^\+/, '') || undefined;
	if (callingCode && !/^[1-9]\d{0,2}$/.test(callingCode)) {
		throw new ConfigError(`DEFAULT_CALLING_CODE must be a country calling code such as 49 or 1, got "${callingCode}"`);
	}
	const trustProxyRaw = env.TRUST_PROXY ?? '';
	const trustProxy = trustProxyRaw === '' || trustProxyRaw === 'false' ? false : trustProxyRaw === 'true' ? true : trustProxyRaw;

	const twilioAuthTokens = (env.TWILIO_AUTH_TOKEN ?? '')
		.split(',')
		.map((token) => token.trim())
		.filter(Boolean);
	const sevenWebhookToken = env.SEVEN_WEBHOOK_TOKEN?.trim() || undefined;
	if (sevenWebhookToken && !/^[A-Za-z0-9_-]{16,200}$/.test(sevenWebhookToken)) {
		throw new ConfigError('SEVEN_WEBHOOK_TOKEN must be 16 to 200 letters, digits, - or _');
	}

	return {
		port,
		host,
		databaseUrl,
		databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
		dataDir,
		apiKeys,
		apiKeySource,
		publicBaseUrl,
		fallbackUrl: httpUrl(env, 'FALLBACK_URL'),
		codeLength: integer(env, 'CODE_LENGTH', 8, 3, 32),
		bodyLimit: env.BODY_LIMIT || '10mb',
		maxLinksPerRequest: integer(env, 'MAX_LINKS_PER_REQUEST', 200_000, 1, 10_000_000),
		defaultCallingCode: callingCode,
		logLevel,
		shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
		trustProxy,
		twilioAuthTokens,
		sevenWebhookToken,
	};
}
