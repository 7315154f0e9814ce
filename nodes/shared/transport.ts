import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export type RequestContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions | IWebhookFunctions;

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
		const credentials = await ctx.getCredentials(credentialType);
		const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
		url = `${baseUrl}${url.startsWith('/') ? '' : '/'}${url}`;
	}
	const options: IHttpRequestOptions = {
		method: spec.method,
		url,
		qs: spec.qs,
		headers: { ...(spec.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...spec.headers },
		body: spec.body,
		json: !spec.form,
		returnFullResponse: spec.fullResponse,
		ignoreHttpStatusErrors: spec.ignoreHttpStatusErrors,
	};
	try {
		return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)) as T;
	} catch (error) {
		throw new NodeApiError(ctx.getNode(), error as JsonObject, itemIndex === undefined ? {} : { itemIndex });
	}
}
