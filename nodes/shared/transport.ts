import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { destinationRefusal, hostRange } from './destination-guard';

export type RequestContext =
	| IExecuteFunctions
	| IHookFunctions
	| ILoadOptionsFunctions
	| IWebhookFunctions;

export interface RequestSpec {
	method: IHttpRequestMethods;
	/** Absolute URL, or a path resolved against the credential's `baseUrl` field. */
	url: string;
	body?: IDataObject | IDataObject[] | string;
	qs?: IDataObject;
	headers?: IDataObject;
	/** Send the body as application/x-www-form-urlencoded (Twilio) instead of JSON. */
	form?: boolean;
	/** Return the full response ({ statusCode, headers, body }) instead of the body. */
	fullResponse?: boolean;
	/** Resolve with any HTTP status instead of throwing (use with fullResponse to read statusCode). */
	ignoreHttpStatusErrors?: boolean;
}

/**
 * The one HTTP caller of the nodes: every request to the tracking server or an SMS provider goes
 * through here, authenticated by the named credential. Remote failures become NodeApiError with
 * the item index, so Continue On Fail and the error output work per item.
 */
export async function request<T = IDataObject>(
	ctx: RequestContext,
	credentialType: string,
	spec: RequestSpec,
	itemIndex?: number,
): Promise<T> {
	let url = spec.url;
	if (!/^https?:\/\//i.test(url)) {
		const baseUrl = baseUrlOf(await ctx.getCredentials(credentialType));
		url = `${baseUrl}${url.startsWith('/') ? '' : '/'}${url}`;
	}
	const options: IHttpRequestOptions = {
		method: spec.method,
		url,
		qs: spec.qs,
		headers: {
			...(spec.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
			...spec.headers,
		},
		body: spec.body,
		json: !spec.form,
		returnFullResponse: spec.fullResponse,
		ignoreHttpStatusErrors: spec.ignoreHttpStatusErrors,
	};
	try {
		return (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			options,
		)) as T;
	} catch (error) {
		const remote = remoteMessage(error);
		const options = {
			...(itemIndex === undefined ? {} : { itemIndex }),
			...(remote ? { message: remote } : {}),
		};
		if (error instanceof NodeApiError) {
			// Already shaped by n8n: keep it, add the item index and the remote message.
			if (itemIndex !== undefined) error.context.itemIndex = itemIndex;
			if (remote) {
				// The remote API's own words are the useful message; n8n's generic HTTP text moves to the description.
				error.description = error.message;
				error.message = remote;
			}
			throw new NodeApiError(ctx.getNode(), error as unknown as JsonObject, options); // hands back the same error
		}
		throw new NodeApiError(ctx.getNode(), error as JsonObject, options);
	}
}

/**
 * The message a remote API put in its error body: the tracking server's {error:{code,message}},
 * Twilio's {code, message, more_info} or seven.io's {error_text}. Undefined when there is none.
 */
function remoteMessage(error: unknown): string | undefined {
	const err = error as
		| { cause?: unknown; response?: { data?: unknown; body?: unknown }; errorResponse?: unknown }
		| undefined;
	const cause = (err?.cause ?? err?.errorResponse ?? err) as
		| { response?: { data?: unknown; body?: unknown } }
		| undefined;
	let body =
		cause?.response?.data ?? cause?.response?.body ?? err?.response?.data ?? err?.response?.body;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	if (typeof body !== 'object' || body === null) return undefined;
	const data = body as {
		error?: { code?: unknown; message?: unknown } | string;
		message?: unknown;
		code?: unknown;
		error_text?: unknown;
	};
	if (typeof data.error === 'object' && data.error && typeof data.error.message === 'string') {
		return typeof data.error.code === 'string'
			? `${data.error.message} (${data.error.code})`
			: data.error.message;
	}
	if (typeof data.message === 'string')
		return data.code !== undefined ? `${data.message} (code ${String(data.code)})` : data.message;
	if (typeof data.error_text === 'string') return data.error_text;
	return undefined;
}

/** A credential's `baseUrl` field without trailing slashes. */
export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
}

export interface UrlCheck {
	ok: boolean;
	/** The HTTP status after redirects, when there was an answer. */
	status?: number;
	/** Why the check failed: the status, or the network error. */
	problem?: string;
}

/** Most redirects a destination check follows, each hop checked like the first. */
const maxRedirects = 5;

/**
 * Checks that a landing page answers (2xx after redirects) within the time limit, without
 * credentials: used once per distinct destination before a campaign goes out. Every hop, the
 * first and each redirect (followed here, not by the HTTP client), must pass the destination
 * guard (destination-guard.ts) before it is requested; the whole check, all hops together, ends
 * at the time limit; the body is never read: its stream is closed once the status is known.
 */
export async function checkUrl(
	ctx: RequestContext,
	url: string,
	allowLocal: boolean,
	timeoutMs = 10_000,
): Promise<UrlCheck> {
	const deadline = Date.now() + timeoutMs;
	let current = url;
	for (let hop = 0; hop <= maxRedirects; hop++) {
		let target: URL;
		try {
			target = new URL(current);
		} catch {
			return { ok: false, problem: 'is not a URL' };
		}
		const refused = destinationRefusal(target, allowLocal);
		if (refused) return { ok: false, problem: `was not requested: ${refused}` };
		const remaining = deadline - Date.now();
		if (remaining <= 0) return { ok: false, problem: `did not answer within ${timeoutMs} ms` };
		let response: { statusCode: number; headers: Record<string, unknown>; body?: unknown };
		try {
			response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url: target.toString(),
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: remaining,
				json: false,
				encoding: 'stream',
			})) as typeof response;
		} catch (error) {
			const err = error as { code?: string; message?: string };
			return {
				ok: false,
				problem: `did not answer (${err.code ?? err.message ?? 'network error'})`,
			};
		}
		(response.body as { destroy?: () => void } | undefined)?.destroy?.();
		const status = Number(response.statusCode);
		const location = response.headers?.location;
		if (status >= 300 && status < 400 && typeof location === 'string') {
			try {
				current = new URL(location, target).toString();
			} catch {
				return { ok: false, status, problem: 'redirected to an address that is not a URL' };
			}
			continue;
		}
		return status >= 200 && status < 300
			? { ok: true, status }
			: { ok: false, status, problem: `answered HTTP ${status}` };
	}
	return { ok: false, problem: `redirected more than ${maxRedirects} times` };
}

/**
 * What helpers get instead of the node's context: the node (for errors) and its HTTP, bound to the
 * context. Helpers never read parameters; the operations read them and pass plain values.
 */
export interface Http {
	node: INode;
	request<T = IDataObject>(
		credentialType: string,
		spec: RequestSpec,
		itemIndex?: number,
	): Promise<T>;
	credentials(credentialType: string): Promise<ICredentialDataDecryptedObject>;
	/** allowLocal: loopback and private destinations may be requested (see destination-guard.ts). */
	checkUrl(url: string, allowLocal: boolean): Promise<UrlCheck>;
}

export function httpOf(ctx: RequestContext): Http {
	return {
		node: ctx.getNode(),
		request: async <T>(credentialType: string, spec: RequestSpec, itemIndex?: number) =>
			await request<T>(ctx, credentialType, spec, itemIndex),
		credentials: async (credentialType) => await ctx.getCredentials(credentialType),
		checkUrl: async (url, allowLocal) => await checkUrl(ctx, url, allowLocal),
	};
}

/** Whether the tracking server is reached on a loopback or private address (a local install). */
export function isLocalServer(credentials: ICredentialDataDecryptedObject): boolean {
	try {
		return hostRange(new URL(baseUrlOf(credentials)).hostname) === 'local';
	} catch {
		return false;
	}
}
