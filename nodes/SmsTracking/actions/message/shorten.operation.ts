import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import {
	describe,
	draft,
	readSettings,
	shortenAll,
	type Draft,
	type ShortenSettings,
} from '../../helpers/shorten';
import { errorItem } from '../common';

/** Shorten has no fields beyond the shared message fields. */
export const description: INodeProperties[] = [];

/** Creates every item's short links in a few batched calls and outputs the rewritten texts. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const results: INodeExecutionData[] = new Array(items.length);
	const byCampaign = new Map<string, Draft[]>();
	const settings: ShortenSettings[] = [];
	const fail = (error: Error, itemIndex: number) => {
		if (!this.continueOnFail()) throw error;
		results[itemIndex] = errorItem(error, itemIndex);
	};

	for (let i = 0; i < items.length; i++) {
		try {
			const campaignId = (this.getNodeParameter('campaignId', i) as string).trim();
			settings[i] = readSettings(this, i);
			const d = draft(
				this,
				i,
				this.getNodeParameter('recipient', i),
				this.getNodeParameter('text', i) as string,
				settings[i],
			);
			if (!byCampaign.has(campaignId)) byCampaign.set(campaignId, []);
			byCampaign.get(campaignId)!.push(d);
		} catch (error) {
			fail(error as Error, i);
		}
	}

	for (const [campaignId, drafts] of byCampaign) {
		const prepared = await shortenAll(this, campaignId, drafts, (i) => settings[i]);
		prepared.forEach((p, n) => {
			const itemIndex = drafts[n].itemIndex;
			if (p instanceof Error) fail(p, itemIndex);
			else results[itemIndex] = { json: describe(p, campaignId), pairedItem: { item: itemIndex } };
		});
	}
	return [results.filter(Boolean)];
}
