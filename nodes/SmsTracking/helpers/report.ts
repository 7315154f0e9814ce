import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { campaignPath, trackingApi } from './api';
import { chunk } from './concurrency';

/** The server takes at most 10,000 messages per call. */
export const reportBatchSize = 10_000;

export interface MessageReport {
	recipient: string;
	variant?: string | null;
	provider?: string;
	providerMessageId?: string;
	segments?: number;
	encoding?: string;
	characters?: number;
	status: 'sent' | 'failed' | 'holdout';
	error?: string;
}

/** Reports sends, failures and hold-outs to POST /campaigns/:id/messages (idempotent per provider message id). */
export async function reportMessages(
	ctx: IExecuteFunctions,
	campaignId: string,
	messages: MessageReport[],
	itemIndex: number,
): Promise<number> {
	let recorded = 0;
	for (const batch of chunk(messages, reportBatchSize)) {
		const body = { messages: batch.map((m) => JSON.parse(JSON.stringify(m)) as IDataObject) };
		const response = await trackingApi<{ recorded: number }>(
			ctx,
			{ method: 'POST', path: `${campaignPath(campaignId)}/messages`, body },
			itemIndex,
		);
		recorded += Number(response.recorded) || 0;
	}
	return recorded;
}
