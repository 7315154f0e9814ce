import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { request, type RequestSpec } from '../../shared/transport';

export const trackingCredential = 'smsTrackingApi';

/** A request to the tracking server's API (/api/v1 + path), authenticated by the SMS Tracking API credential. */
export async function trackingApi<T = IDataObject>(
	ctx: IExecuteFunctions,
	spec: Omit<RequestSpec, 'url'> & { path: string },
	itemIndex?: number,
): Promise<T> {
	const { path, ...rest } = spec;
	return await request<T>(ctx, trackingCredential, { ...rest, url: `/api/v1${path}` }, itemIndex);
}

/** The tracking server's URL as the credential names it (for callback URLs). */
export async function trackingBaseUrl(ctx: IExecuteFunctions): Promise<string> {
	const credentials = await ctx.getCredentials(trackingCredential);
	return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
}

export const campaignPath = (campaignId: string) =>
	`/campaigns/${encodeURIComponent(campaignId.trim())}`;
