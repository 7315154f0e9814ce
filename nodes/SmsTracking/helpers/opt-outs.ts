import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { maxPhonesPerCall, optedOutAmong } from '../../shared/tracking-api';
import type { Http } from '../../shared/transport';
import { chunk } from './concurrency';
import { describe, type ReadyMessage } from './prepare';

/**
 * Splits the prepared messages by the server's opt-out list (one call per 10,000 recipients).
 * Opted-out recipients are never sent: they leave with status `opted-out`, the input's fields
 * kept, and are not reported as sends. A failed check stops the node before anything is sent.
 */
export async function leaveOutOptedOut(
	http: Http,
	ready: ReadyMessage[],
	inputs: IDataObject[],
): Promise<{ sendable: ReadyMessage[]; optedOut: INodeExecutionData[] }> {
	const phones = [...new Set(ready.map((r) => r.prepared.draft.recipient))];
	const listed = new Set<string>();
	for (const batch of chunk(phones, maxPhonesPerCall))
		for (const phone of await optedOutAmong(http, batch, 0)) listed.add(phone);
	const sendable: ReadyMessage[] = [];
	const optedOut: INodeExecutionData[] = [];
	for (const message of ready) {
		const { campaignId, prepared } = message;
		if (!listed.has(prepared.draft.recipient)) {
			sendable.push(message);
			continue;
		}
		const item = prepared.draft.itemIndex;
		optedOut.push({
			json: { ...inputs[item], ...describe(prepared, campaignId), status: 'opted-out' },
			pairedItem: { item },
		});
	}
	return { sendable, optedOut };
}
