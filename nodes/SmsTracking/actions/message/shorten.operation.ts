import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { errorItem } from '../../helpers/error-item';
import { describe, prepareMessages } from '../../helpers/prepare';
import { httpOf } from '../../../shared/transport';
import { readMetadata, readShortenSettings, readWave } from './parameters';
import { pickedCampaignId } from '../../../shared/campaign-locator';

/** Shorten has no fields beyond the shared message fields. */
export const description: INodeProperties[] = [];

/** Creates every item's short links in a few batched calls and outputs the rewritten texts. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const results: INodeExecutionData[] = new Array(items.length);
	const fail = (error: Error, itemIndex: number) => {
		if (!this.continueOnFail()) throw error;
		results[itemIndex] = errorItem(error, itemIndex, items[itemIndex].json);
	};
	const ready = await prepareMessages(
		httpOf(this),
		items.length,
		(i) => ({
			campaignId: pickedCampaignId(this, i),
			settings: readShortenSettings(this, i),
			wave: readWave(this, i),
			recipient: this.getNodeParameter('recipient', i),
			text: this.getNodeParameter('text', i) as string,
			metadata: readMetadata(this, i),
		}),
		fail,
	);
	for (const { campaignId, prepared } of ready) {
		const itemIndex = prepared.draft.itemIndex;
		results[itemIndex] = { json: describe(prepared, campaignId), pairedItem: { item: itemIndex } };
	}
	return [results.filter(Boolean)];
}
