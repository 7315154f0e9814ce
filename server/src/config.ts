import { randomBytes } from 'node:crypto';
import path from 'node:path';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from './shared/client-address';
import { commaList } from './shared/comma-list';
import { canonicalAddress, isLoopbackHost, parseNetwork } from './shared/outbound-address';
import { callingCodeOf } from './shared/phone';
import { InsecureSecretFile, readOrCreateSecret } from './shared/secret-file';

/** Everything the server reads from its environment. This file is the only reader of process.env. */
export interface Config {
	port: number;
	host: string;
	/** Absent: run the embedded PostgreSQL (PGlite) with its data under dataDir. */
	databaseUrl?: string;
	databasePoolSize: number;
	/** Longest a statement may run on the main pool (bulk work, API); 0: no limit. */
	databaseStatementTimeoutMs: number;
	dataDir: string;
	/** API keys in plain text as given; hashed by the auth middleware at boot. */
	apiKeys: string[];
	/** 'env': the operator's secret from API_KEY; 'file': generated on first start into dataDir/api-key. */
	apiKeySource: 'env' | 'file';
	/** Whether this start generated the key file: the only start that shows the key. */
	apiKeyCreated: boolean;
	/** Absent: the URL the server listens on (fine locally; set it for anything public). */
	publicBaseUrl?: string;
	fallbackUrl?: string;
	codeLength: number;
	bodyLimit: string;
	maxLinksPerRequest: number;
	/** Largest recipient metadata object (Send and Shorten) in bytes of its JSON. */
	recipientMetadataMaxBytes: number;
	/** Calling code used to normalise national numbers (leading 0) to E.164, e.g. "49". */
	defaultCallingCode?: string;
	logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
	shutdownTimeoutMs: number;
	/** Proxies whose X-Forwarded-For is believed: none, a hop count, or their subnets. */
	trustProxy: TrustProxy;
	/** Whether this process sends webhook deliveries (several processes may; each claims its own). */
	webhookDispatcher: boolean;
	/** Most webhook requests in flight at once per process. */
	webhookConcurrency: number;
	/** Most of those to one subscription: the ceiling of its latency-adapted limit, so one slow receiver leaves slots to the others. */
	webhookSubscriptionConcurrency: number;
	/** How long a claimed delivery stays reserved without renewal; renewed while held, so a dead process's claims wait this long. */
	webhookLeaseMs: number;
	/** Per-attempt limit for a webhook request (connect, send, answer). */
	webhookTimeoutMs: number;
	/** Delays before the 2nd, 3rd, … attempt (ms); the delivery fails after the last one. */
	webhookRetrySchedule: number[];
	/** Loopback and private networks may receive webhooks without being listed (a local install: HOST is loopback and WEBHOOK_ALLOWED_NETWORKS unset). */
	webhookAllowLocal: boolean;
	/** Networks (CIDRs, addresses) and host names webhooks may reach beyond public addresses. */
	webhookAllowedNetworks: string[];
	/** DNS servers (ip or ip:port) that resolve webhook hosts; empty: the system's resolver. */
	webhookDnsServers: string[];
	/** Default and longest overlap after a webhook secret rotation, during which both secrets sign. */
	webhookSecretOverlapMs: number;
	webhookSecretOverlapMaxMs: number;
	/** Safety-net poll for due deliveries; new work wakes the dispatcher at once via LISTEN/NOTIFY. */
	webhookPollMs: number;
	/** Twilio auth tokens that sign status callbacks (several: one per account or during rotation); empty: endpoint off. */
	twilioAuthTokens: string[];
	/** Secret that seven.io's delivery-report URL must carry (?token=); absent: endpoint off. */
	sevenWebhookToken?: string;
	/** Landing-page origins allowed to post conversions from t.js with CORS (empty: any origin, no CORS headers). */
	allowedOrigins: string[];
	/** Most public conversion requests (t.js beacons and pixels) per minute from one IP address. */
	collectRateLimit: number;
	/** Most conversions one click may have; more reports for it are refused. */
	conversionsPerClick: number;
	/** Largest conversion value accepted (in any currency); a larger one is refused. */
	conversionValueMax: number;
	/** Bearer token GET /metrics requires; absent: none (protect it by METRICS_PORT or the network). */
	metricsToken?: string;
	/** Serve /metrics on this port of HOST instead of the main port (0: any free port); absent: main port. */
	metricsPort?: number;
	/** How long a conversion reported before its click is stored waits for the click; then it is dropped. */
	pendingConversionTtlSeconds: number;
	/** Most conversions waiting for their clicks at once; more reports are refused (503) and counted. */
	pendingConversionsMax: number;
	/** Most live dashboard streams (GET /api/v1/campaigns/:id/live) open at once per process; 0 turns them off. */
	liveMaxConnections: number;
	/** How often an idle live stream sends a heartbeat comment. */
	liveHeartbeatMs: number;
	/**
	 * Raw events older than this many days are dropped, a whole month's partition at a time (the
	 * stats rollups keep the campaigns' figures); null: events are kept.
	 */
	eventsRetentionDays: number | null;
	/** How often this process checks the A/B test rules (every instance may; one decides each test); 0: never. */
	abTestCheckIntervalMs: number;
	/** The redirect (see redirect/). */
	redirect: RedirectConfig;
}

export interface RedirectConfig {
	/** Lifetime of the sms_cid cookie the redirect sets when a campaign tracks conversions. */
	clickCookieDays: number;
	/** Domain attribute of that cookie; absent: host-only. */
	cookieDomain?: string;
	/** Request header a trusted proxy fills with the visitor's ISO country, e.g. cf-ipcountry. */
	countryHeader?: string;
	/**
	 * Secret salt of the IP hash; the same on every instance so hashes compare across them. A
	 * function when it rotates (server.ts hands the rotating salt kept in the database).
	 */
	ipHashSalt: string | (() => string);
	/** Days a salt is used before the next one (0: never rotated). */
	ipHashSaltRotationDays: number;
	/** Store the raw IP beside its hash (off by default). */
	storeRawIp: boolean;
	/** DNT: 1 / Sec-GPC: 1 handling: ignore them, record the hit without personal data, or record nothing. */
	doNotTrack: 'ignore' | 'anonymous' | 'skip';
	/** Connections of the redirect's own pool, which reads codes (separate from bulk work). */
	lookupPoolSize: number;
	/** Longest a code lookup may take; then an uncached code is answered 503. */
	lookupTimeoutMs: number;
	/** Most codes kept in the in-process link cache. */
	linkCacheSize: number;
	/** How long a cached code is trusted before it is read again (served stale while the database is down). */
	linkCacheTtlMs: number;
	/** Most events written in one group commit. */
	clickBatchSize: number;
	/** A direct commit (the journal cannot be written) that takes longer is given up on. */
	clickCommitTimeoutMs: number;
	/** How often the journal loader retries while the database is unreachable or failing. */
	loaderRetryMs: number;
	/** Size at which a journal segment is closed and the next one started. */
	journalSegmentBytes: number;
	/** Most journal lines the loader stores in one transaction. */
	loaderBatchSize: number;
	/** Most hits on one code from one client (IPv4, or IPv6 /64) recorded per minute; more still redirect. 0: no cap. */
	recordLimit: number;
}

/** The configuration with everything resolved at boot (the public base URL is known). */
export type AppConfig = Config & { publicBaseUrl: string };

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

const durationUnits: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "5s,5m,30m,2h" → milliseconds each; a bare number is milliseconds. */
export function parseDurations(name: string, raw: string): number[] {
	const values = raw.split(',').map((part) => {
		const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(part);
		if (!match) throw new ConfigError(`${name} must be a comma-separated list of durations such as 5s,5m,2h; got "${raw}"`);
		return Math.round(Number(match[1]) * durationUnits[match[2] ?? 'ms']);
	});
	if (values.length > 50) throw new ConfigError(`${name} may list at most 50 delays`);
	return values;
}

/** The Standard Webhooks example schedule: 10 attempts over about three days. */
export const defaultWebhookRetrySchedule = '5s,5m,30m,2h,5h,10h,14h,20h,24h';

/** A switch: true, on, yes or 1; false, off, no or 0 (any case); empty: the fallback. */
function flag(env: Env, name: string, fallback: boolean): boolean {
	const raw = (env[name] ?? '').trim().toLowerCase();
	if (raw === '') return fallback;
	if (['true', 'on', 'yes', '1'].includes(raw)) return true;
	if (['false', 'off', 'no', '0'].includes(raw)) return false;
	throw new ConfigError(`${name} must be true or false (or on or off), got "${env[name]}"`);
}

function origins(env: Env, name: string): string[] {
	return commaList(env[name])
		.map((value) => value.replace(/\/+$/, ''))
		.filter(Boolean)
		.map((value) => {
			let origin: string;
			try {
				origin = new URL(value).origin;
			} catch {
				throw new ConfigError(`${name} must be a comma-separated list of origins such as https://shop.example.com, got "${value}"`);
			}
			if (origin !== value.toLowerCase() || !/^https?:/.test(origin)) {
				throw new ConfigError(`${name} entries must be bare http(s) origins (scheme, host, optional port, no path), got "${value}"`);
			}
			return origin;
		});
}

/**
 * TRUST_PROXY: a number of proxy hops, or the proxies' addresses and subnets (CIDRs, or the
 * shorthands loopback, linklocal, uniquelocal). Not `true`: trusting every hop lets any client
 * choose its address by sending X-Forwarded-For (rate limits bypassed, hashes forged).
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
	const value = (raw ?? '').trim();
	if (value === '' || value === 'false' || value === '0') return false;
	if (value === 'true') {
		throw new ConfigError('TRUST_PROXY=true is not accepted: it lets any client choose its address; give the number of proxies in front of the server (e.g. 1) or their subnets (e.g. 10.0.0.0/8)');
	}
	if (/^\d+$/.test(value)) {
		const hops = Number(value);
		if (hops > 10) throw new ConfigError(`TRUST_PROXY must be at most 10 proxy hops, got ${hops}`);
		return hops;
	}
	const subnets = commaList(value);
	try {
		proxyAddr.compile(subnets);
	} catch {
		throw new ConfigError(`TRUST_PROXY must be a number of proxy hops or a comma-separated list of proxy addresses or subnets (CIDRs such as 10.0.0.0/8, or loopback, linklocal, uniquelocal), got "${value}"`);
	}
	return subnets;
}

/**
 * WEBHOOK_ALLOWED_NETWORKS: CIDRs, addresses and host names beyond public addresses that webhooks
 * may reach; `none` for nothing. Unset: loopback and private ranges when the server itself listens
 * on loopback (a local install, where n8n runs beside it), nothing otherwise.
 */
function allowedNetworks(env: Env, host: string): { allowLocal: boolean; networks: string[] } {
	const raw = env.WEBHOOK_ALLOWED_NETWORKS?.trim();
	if (!raw) return { allowLocal: isLoopbackHost(host), networks: [] };
	if (raw.toLowerCase() === 'none') return { allowLocal: false, networks: [] };
	const networks = commaList(raw);
	for (const entry of networks) {
		if (parseNetwork(entry) === undefined) {
			throw new ConfigError(`WEBHOOK_ALLOWED_NETWORKS must list CIDRs (10.0.0.0/8), addresses or host names, or be none; got "${entry}"`);
		}
	}
	return { allowLocal: false, networks };
}

function dnsServers(env: Env): string[] {
	const servers = commaList(env.WEBHOOK_DNS_SERVERS);
	for (const server of servers) {
		const match = /^(?:\[([^\]]+)\]|([^:]+|[^\[\]]*:[^\[\]]*:[^\[\]]*))(?::(\d+))?$/.exec(server);
		const address = match && canonicalAddress(match[1] ?? match[2]);
		if (!address) throw new ConfigError(`WEBHOOK_DNS_SERVERS must list DNS server addresses such as 10.0.0.2 or 10.0.0.2:53, got "${server}"`);
	}
	return servers;
}

/** A secret file of the data folder (shared/secret-file.ts); one open to other users stops the boot. */
function secretFile(dataDir: string, name: string, create: () => string) {
	try {
		return readOrCreateSecret(dataDir, name, create);
	} catch (err) {
		if (err instanceof InsecureSecretFile) throw new ConfigError(err.message);
		throw err;
	}
}

function loadRedirectConfig(env: Env, dataDir: string): RedirectConfig {
	const cookieDomain = env.COOKIE_DOMAIN?.trim().replace(/^\./, '') || undefined;
	if (cookieDomain && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(cookieDomain)) {
		throw new ConfigError(`COOKIE_DOMAIN must be a domain name such as shop.example, got "${env.COOKIE_DOMAIN}"`);
	}
	const countryHeader = env.COUNTRY_HEADER?.trim().toLowerCase() || undefined;
	if (countryHeader && !/^[a-z0-9-]+$/.test(countryHeader)) {
		throw new ConfigError(`COUNTRY_HEADER must be a header name such as cf-ipcountry, got "${env.COUNTRY_HEADER}"`);
	}
	const ipHashSalt = env.IP_HASH_SALT || secretFile(dataDir, 'ip-hash-salt', () => randomBytes(32).toString('base64url')).value;
	if (ipHashSalt.length < 16) throw new ConfigError('IP_HASH_SALT must be at least 16 characters');
	const doNotTrack = (env.DO_NOT_TRACK || 'ignore') as RedirectConfig['doNotTrack'];
	if (!['ignore', 'anonymous', 'skip'].includes(doNotTrack)) {
		throw new ConfigError(`DO_NOT_TRACK must be ignore, anonymous or skip; got "${doNotTrack}"`);
	}
	return {
		clickCookieDays: integer(env, 'CLICK_COOKIE_DAYS', 30, 0, 400),
		cookieDomain,
		countryHeader,
		ipHashSalt,
		ipHashSaltRotationDays: integer(env, 'IP_HASH_SALT_ROTATION_DAYS', 30, 0, 3650),
		storeRawIp: flag(env, 'STORE_RAW_IP', false),
		doNotTrack,
		lookupPoolSize: integer(env, 'REDIRECT_POOL_SIZE', 4, 1, 100),
		lookupTimeoutMs: integer(env, 'REDIRECT_LOOKUP_TIMEOUT_MS', 2000, 100, 60_000),
		linkCacheSize: integer(env, 'LINK_CACHE_SIZE', 100_000, 0, 10_000_000),
		linkCacheTtlMs: integer(env, 'LINK_CACHE_TTL_SECONDS', 60, 0, 86_400) * 1000,
		clickBatchSize: integer(env, 'CLICK_BATCH_SIZE', 1000, 1, 100_000),
		clickCommitTimeoutMs: integer(env, 'CLICK_COMMIT_TIMEOUT_MS', 2000, 100, 600_000),
		loaderRetryMs: integer(env, 'LOADER_RETRY_MS', 1000, 50, 600_000),
		journalSegmentBytes: integer(env, 'JOURNAL_SEGMENT_KB', 65_536, 16, 4_194_304) * 1024,
		loaderBatchSize: integer(env, 'LOADER_BATCH_SIZE', 5000, 1, 100_000),
		recordLimit: integer(env, 'REDIRECT_RECORD_LIMIT', 30, 0, 1_000_000),
	};
}

export function loadConfig(env: Env = process.env): Config {
	const port = integer(env, 'PORT', 8080, 0, 65535);
	const host = env.HOST || '127.0.0.1';
	const dataDir = path.resolve(env.DATA_DIR || '.data');

	const databaseUrl = env.DATABASE_URL || undefined;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
	}

	let apiKeys = commaList(env.API_KEY);
	let apiKeySource: Config['apiKeySource'] = 'env';
	let apiKeyCreated = false;
	if (apiKeys.some((key) => key.length < 16)) {
		throw new ConfigError('API_KEY must be at least 16 characters (comma-separate several keys to rotate)');
	}
	if (apiKeys.length === 0) {
		const generated = secretFile(dataDir, 'api-key', () => 'sk_' + randomBytes(24).toString('base64url'));
		apiKeys = [generated.value];
		apiKeySource = 'file';
		apiKeyCreated = generated.created;
	}

	const publicBaseUrl = httpUrl(env, 'PUBLIC_BASE_URL')?.replace(/\/+$/, '');
	const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
	if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
		throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent; got "${logLevel}"`);
	}
	const defaultCountry = env.DEFAULT_CALLING_CODE?.trim() || undefined;
	const callingCode = defaultCountry && callingCodeOf(defaultCountry);
	if (defaultCountry && !callingCode) {
		throw new ConfigError(`DEFAULT_CALLING_CODE must be a country calling code such as 49 or 1, or an ISO country code such as DE, got "${defaultCountry}"`);
	}
	const trustProxy = parseTrustProxy(env.TRUST_PROXY);

	const twilioAuthTokens = commaList(env.TWILIO_AUTH_TOKEN);
	const sevenWebhookToken = env.SEVEN_WEBHOOK_TOKEN?.trim() || undefined;
	if (sevenWebhookToken && !/^[A-Za-z0-9_-]{16,200}$/.test(sevenWebhookToken)) {
		throw new ConfigError('SEVEN_WEBHOOK_TOKEN must be 16 to 200 letters, digits, - or _');
	}

	const webhookConcurrency = integer(env, 'WEBHOOK_CONCURRENCY', 64, 1, 1000);
	const webhookNetworks = allowedNetworks(env, host);
	const overlapMaxMs = integer(env, 'WEBHOOK_SECRET_OVERLAP_MAX_HOURS', 168, 0, 8760) * 3_600_000;
	const overlapMs = integer(env, 'WEBHOOK_SECRET_OVERLAP_HOURS', 24, 0, 8760) * 3_600_000;
	if (overlapMs > overlapMaxMs) throw new ConfigError('WEBHOOK_SECRET_OVERLAP_HOURS must not exceed WEBHOOK_SECRET_OVERLAP_MAX_HOURS');

	const metricsToken = env.METRICS_TOKEN?.trim() || undefined;
	if (metricsToken && !/^\S{16,200}$/.test(metricsToken)) {
		throw new ConfigError('METRICS_TOKEN must be 16 to 200 characters without spaces');
	}
	const metricsPort = env.METRICS_PORT?.trim() ? integer(env, 'METRICS_PORT', 0, 0, 65535) : undefined;
	if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port) {
		throw new ConfigError(`METRICS_PORT must differ from PORT (${port}): leave it unset to serve /metrics on the main port`);
	}

	return {
		port,
		host,
		databaseUrl,
		databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
		databaseStatementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 120_000, 0, 3_600_000),
		dataDir,
		apiKeys,
		apiKeySource,
		apiKeyCreated,
		publicBaseUrl,
		fallbackUrl: httpUrl(env, 'FALLBACK_URL'),
		codeLength: integer(env, 'CODE_LENGTH', 8, 3, 32),
		bodyLimit: env.BODY_LIMIT || '10mb',
		maxLinksPerRequest: integer(env, 'MAX_LINKS_PER_REQUEST', 200_000, 1, 10_000_000),
		recipientMetadataMaxBytes: integer(env, 'RECIPIENT_METADATA_MAX_BYTES', 2048, 2, 1_000_000),
		defaultCallingCode: callingCode,
		logLevel,
		shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
		trustProxy,
		webhookDispatcher: flag(env, 'WEBHOOK_DISPATCHER', true),
		webhookConcurrency,
		webhookSubscriptionConcurrency: integer(env, 'WEBHOOK_SUBSCRIPTION_CONCURRENCY', Math.ceil(webhookConcurrency / 2), 1, webhookConcurrency),
		webhookLeaseMs: integer(env, 'WEBHOOK_LEASE_MS', 30_000, 1_000, 600_000),
		webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 10, 120_000),
		webhookRetrySchedule: parseDurations('WEBHOOK_RETRY_SCHEDULE', env.WEBHOOK_RETRY_SCHEDULE || defaultWebhookRetrySchedule),
		webhookPollMs: integer(env, 'WEBHOOK_POLL_MS', 1_000, 10, 60_000),
		webhookAllowLocal: webhookNetworks.allowLocal,
		webhookAllowedNetworks: webhookNetworks.networks,
		webhookDnsServers: dnsServers(env),
		webhookSecretOverlapMs: overlapMs,
		webhookSecretOverlapMaxMs: overlapMaxMs,
		twilioAuthTokens,
		sevenWebhookToken,
		allowedOrigins: origins(env, 'ALLOWED_ORIGINS'),
		collectRateLimit: integer(env, 'COLLECT_RATE_LIMIT', 60, 1, 1_000_000),
		conversionsPerClick: integer(env, 'CONVERSIONS_PER_CLICK', 10, 1, 1_000_000),
		// numeric(18,4) leaves 14 digits before the point.
		conversionValueMax: integer(env, 'CONVERSION_VALUE_MAX', 1_000_000, 1, 99_999_999_999_999),
		metricsToken,
		metricsPort,
		pendingConversionTtlSeconds: integer(env, 'PENDING_CONVERSION_TTL_SECONDS', 600, 1, 7 * 86_400),
		pendingConversionsMax: integer(env, 'PENDING_CONVERSIONS_MAX', 10_000, 1, 10_000_000),
		liveMaxConnections: integer(env, 'LIVE_MAX_CONNECTIONS', 100, 0, 100_000),
		liveHeartbeatMs: integer(env, 'LIVE_HEARTBEAT_SECONDS', 15, 1, 3_600) * 1000,
		eventsRetentionDays: env.EVENTS_RETENTION_DAYS ? integer(env, 'EVENTS_RETENTION_DAYS', 0, 1, 36_500) : null,
		abTestCheckIntervalMs: integer(env, 'AB_TEST_CHECK_INTERVAL_MS', 60_000, 0, 86_400_000),
		redirect: loadRedirectConfig(env, dataDir),
	};
}
