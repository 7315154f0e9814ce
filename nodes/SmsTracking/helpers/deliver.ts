import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { maxMessagesPerCall, recordMessages, type MessageReport } from '../../shared/tracking-api';
import type { Http } from '../../shared/transport';
import { chunk } from './concurrency';
import { errorItem } from './error-item';
import { rejectedMetadata } from './metadata-rejection';
import { describe, type Prepared } from './prepare';
import { sendSms, type SendSettings } from './providers/send';

/** What happened to one item: the output it leaves on and the row reported to the server. */
export interface Outcome {
	itemIndex: number;
	campaignId: string;
	report: MessageReport;
	output: INodeExecutionData;
	/** Kept back from the A/B test: leaves on the hold-out output. */
	held?: boolean;
	failed?: Error;
}

/**
 * A recipient kept back from the A/B test: not sent, reported as a hold-out. Its output keeps the
 * input's fields, for the send of the winner to the hold-out later.
 */
export function heldOutcome(
	itemIndex: number,
	input: IDataObject,
	campaignId: string,
	recipient: string,
	variant: string,
	wave: string,
	metadata?: IDataObject,
): Outcome {
	const json: IDataObject = { ...input, campaignId, recipient, variant, wave, status: 'holdout' };
	return {
		itemIndex,
		campaignId,
		held: true,
		report: { recipient, variant, wave, status: 'holdout', ...(metadata ? { metadata } : {}) },
		output: { json, pairedItem: { item: itemIndex } },
	};
}

/** A scheduled message's output says when it goes out and, for a best hour, which and why. */
function scheduledFields(settings: SendSettings): IDataObject {
	const plan = settings.schedule;
	if (!plan) return {};
	const { sendAt, ...bestHour } = plan;
	return {
		scheduledAt: sendAt.toISOString(),
		...(bestHour.hour !== undefined ? { sendTime: bestHour } : {}),
	};
}

/**
 * Sends one prepared message; a refusal becomes a failed outcome (the caller decides whether to
 * stop) whose output keeps the `input` item's fields.
 */
export async function sendOne(
	http: Http,
	campaignId: string,
	prepared: Prepared,
	settings: SendSettings,
	input: IDataObject,
): Promise<Outcome> {
	const itemIndex = prepared.draft.itemIndex;
	const base = describe(prepared, campaignId);
	const row = {
		recipient: prepared.draft.recipient,
		variant: prepared.variant,
		wave: prepared.draft.wave,
		segments: prepared.result.after.segments,
		encoding: prepared.result.after.encoding,
		characters: prepared.result.after.characters,
		...(prepared.draft.metadata ? { metadata: prepared.draft.metadata } : {}),
	};
	try {
		const result = await sendSms(
			http,
			itemIndex,
			{ to: prepared.draft.recipient, text: prepared.result.text },
			settings,
		);
		const json: IDataObject = {
			...base,
			status: 'sent',
			provider: result.provider,
			providerMessageId: result.providerMessageId,
			providerSegments: result.segments ?? null,
			...scheduledFields(settings),
		};
		return {
			itemIndex,
			campaignId,
			report: {
				...row,
				provider: result.provider,
				providerMessageId: result.providerMessageId,
				status: 'sent',
			},
			output: { json, pairedItem: { item: itemIndex } },
		};
	} catch (error) {
		const err = error as Error;
		const { provider } = settings;
		return {
			itemIndex,
			campaignId,
			failed: err,
			report: { ...row, provider, status: 'failed', error: err.message.slice(0, 500) },
			output: errorItem(err, itemIndex, { ...input, ...base, status: 'failed', provider }),
		};
	}
}

/**
 * Reports outcomes to the server, one call per campaign (and 10,000 rows). A failed report is
 * noted on the outputs it concerns and returned, not thrown, so the caller can still stop cleanly.
 */
export async function reportOutcomes(http: Http, outcomes: Outcome[]): Promise<Error | undefined> {
	let failure: Error | undefined;
	for (const campaignId of new Set(outcomes.map((o) => o.campaignId))) {
		const mine = outcomes.filter((o) => o.campaignId === campaignId);
		try {
			for (const batch of chunk(mine, maxMessagesPerCall))
				await recordBatch(http, campaignId, batch);
		} catch (error) {
			failure ??= error as Error;
			for (const o of mine) o.output.json.reportError = (error as Error).message;
		}
	}
	return failure;
}

/**
 * Records one batch. Metadata the server refuses (a message without links, so it was not checked
 * when its links were made) is left out of its row, noted on its output, and the batch sent again:
 * the message was sent, so it is still recorded.
 */
async function recordBatch(http: Http, campaignId: string, batch: Outcome[]): Promise<void> {
	let failure: Error | undefined;
	while (!failure) {
		try {
			await recordMessages(
				http,
				campaignId,
				batch.map((o) => o.report),
				batch[0].itemIndex,
			);
			return;
		} catch (error) {
			const rejected = rejectedMetadata(error as Error, 'messages');
			const culprit = rejected && batch[rejected.index];
			if (!rejected || !culprit?.report.metadata) failure = error as Error;
			else {
				delete culprit.report.metadata;
				culprit.output.json.metadataError = `${rejected.reason}; it was not stored`;
			}
		}
	}
	// reportOutcomes notes it on the batch's outputs and hands it back
	throw failure;
}
