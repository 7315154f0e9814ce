import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { maxMessagesPerCall, recordMessages } from '../../../shared/tracking-api';
import { httpOf } from '../../../shared/transport';
import { chunk } from '../../helpers/concurrency';
import { errorItem } from '../../helpers/error-item';
import { readReportedSend, type ReportedSend } from '../../helpers/reported-send';

export { reportSendsFields as description } from './reportSends.fields';

type Read = ReportedSend & { itemIndex: number };

/**
 * Records sends another node made (n8n's Twilio or seven node, an HTTP Request…) so stats,
 * hold-outs, conversions and delivery reports cover them: one call per campaign and 10,000 items.
 * Re-running is safe: a provider message ID is recorded once, and a send without one once per
 * campaign, recipient and provider (`oncePerRecipient`).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const http = httpOf(this);
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[] = new Array(items.length);
	const fail = (error: Error, itemIndex: number) => {
		if (!continueOnFail) throw error;
		results[itemIndex] = errorItem(error, itemIndex, items[itemIndex].json);
	};

	const byCampaign = new Map<string, Read[]>();
	for (let i = 0; i < items.length; i++) {
		try {
			const read = readReportedSend(this, i);
			byCampaign.set(read.campaignId, [
				...(byCampaign.get(read.campaignId) ?? []),
				{ ...read, itemIndex: i },
			]);
		} catch (error) {
			fail(error as Error, i);
		}
	}

	for (const [campaignId, sends] of byCampaign) {
		for (const slice of chunk(sends, maxMessagesPerCall)) {
			try {
				await recordMessages(
					http,
					campaignId,
					slice.map((s) => s.message),
					slice[0].itemIndex,
					true,
				);
			} catch (error) {
				const unknownCampaign = error instanceof NodeApiError && error.httpCode === '404';
				for (const { itemIndex } of slice) {
					fail(
						unknownCampaign
							? new NodeOperationError(
									this.getNode(),
									`The campaign "${campaignId}" does not exist on the tracking server`,
									{ itemIndex },
								)
							: (error as Error),
						itemIndex,
					);
				}
				continue;
			}
			for (const { itemIndex, message } of slice) {
				const reported: IDataObject = { campaignId, ...message };
				delete reported.text; // the item has it already; the output stays small
				results[itemIndex] = {
					json: { ...items[itemIndex].json, reported },
					pairedItem: { item: itemIndex },
				};
			}
		}
	}
	return [results.filter(Boolean)];
}
