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

/**
 * Checks that a landing page answers (2xx after redirects) within the timeout, without
 * credentials: used once per distinct destination before a campaign goes out.
 */
export async function checkUrl(
	ctx: RequestContext,
	url: string,
	timeoutMs = 10_000,
): Promise<UrlCheck> {
	try {
		const response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
			json: false,
			encoding: 'text',
		})) as { statusCode: number };
		const status = Number(response.statusCode);
		return status >= 200 && status < 300
			? { ok: true, status }
			: { ok: false, status, problem: `answered HTTP ${status}` };
	} catch (error) {
		const err = error as { code?: string; message?: string };
		return { ok: false, problem: `did not answer (${err.code ?? err.message ?? 'network error'})` };
	}
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
	checkUrl(url: string): Promise<UrlCheck>;
}

export function httpOf(ctx: RequestContext): Http {
	return {
		node: ctx.getNode(),
		request: async <T>(credentialType: string, spec: RequestSpec, itemIndex?: number) =>
			await request<T>(ctx, credentialType, spec, itemIndex),
		credentials: async (credentialType) => await ctx.getCredentials(credentialType),
		checkUrl: async (url) => await checkUrl(ctx, url),
	};
}
