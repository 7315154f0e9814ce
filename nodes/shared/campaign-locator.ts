import type {
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { listCampaigns, trackingBaseUrl } from './tracking-api';
import { httpOf } from './transport';

/**
 * The campaign picker of both nodes: a resource locator, From List (searchable, paged, archived
 * campaigns left out), By ID, or By URL of the campaign's dashboard page
 * (`<server>/dashboard/#/campaigns/<id>`, see server/public/dashboard/js/app.js).
 * A workflow saved before the picker holds a plain string here; n8n hands it back unchanged, so
 * it keeps working like "By ID".
 */
const idPattern = 'cmp_[0-9A-Za-z]+';
const dashboardUrlPattern = `^https?://.+/dashboard/?#/campaigns/(${idPattern})`;

export const searchCampaignsMethod = 'searchCampaigns';

export function campaignLocator(
	overrides: Partial<INodeProperties> & Pick<INodeProperties, 'description'>,
): INodeProperties {
	return {
		displayName: 'Campaign',
		name: 'campaignId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a campaign...',
				typeOptions: { searchListMethod: searchCampaignsMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'cmp_3xYq0Vb7TnR2mK9wLs4A',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: `^\\s*${idPattern}\\s*$`,
							errorMessage: 'A campaign ID starts with cmp_ (Campaign → Create returns it)',
						},
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://track.example.com/dashboard/#/campaigns/cmp_3xYq0Vb7TnR2mK9wLs4A',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: dashboardUrlPattern,
							errorMessage: "Not a campaign's dashboard URL (…/dashboard/#/campaigns/cmp_…)",
						},
					},
				],
				extractValue: { type: 'regex', regex: dashboardUrlPattern },
			},
		],
		...overrides,
	};
}

/** The picked campaign's id, from a locator or a plain string saved before it; '' when none. */
export function pickedCampaignId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter = 'campaignId',
): string {
	return asId(ctx.getNodeParameter(parameter, itemIndex, '', { extractValue: true }));
}

/** The trigger's optional campaign filter (hooks read parameters without an item). */
export function filteredCampaignId(ctx: IHookFunctions): string {
	return asId(ctx.getNodeParameter('campaignId', '', { extractValue: true }));
}

const asId = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The campaign an operation works on: a NodeOperationError naming the item when none is picked. */
export function requiredCampaignId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter = 'campaignId',
): string {
	const id = pickedCampaignId(ctx, itemIndex, parameter);
	if (!id)
		throw new NodeOperationError(
			ctx.getNode(),
			'Choose a campaign (from the list, by ID or by URL)',
			{
				itemIndex,
			},
		);
	return id;
}

/** The picker's list: active campaigns, newest first, filtered by part of the name, 100 a page. */
export async function searchCampaigns(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const http = httpOf(this);
	const page = await listCampaigns(http, {
		search: filter?.trim() || undefined,
		cursor: paginationToken || undefined,
		limit: 100,
	});
	const base = await trackingBaseUrl(http);
	return {
		results: page.campaigns.map((c) => ({
			name: c.name,
			value: c.id,
			url: `${base}/dashboard/#/campaigns/${encodeURIComponent(c.id)}`,
		})),
		paginationToken: page.nextCursor ?? undefined,
	};
}
