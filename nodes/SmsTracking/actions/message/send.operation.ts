import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { holdoutVariant, assignVariant } from '../../../shared/variants';
import { normalisePhone } from '../../../shared/phone';
import { applyAbTest, readAbTest, variantText, type AbTest } from '../../helpers/ab';
import { mapWithConcurrency } from '../../helpers/concurrency';
import { reportMessages, type MessageReport } from '../../helpers/report';
import {
	describe,
	draft,
	readSettings,
	shortenAll,
	type Draft,
	type Prepared,
	type ShortenSettings,
} from '../../helpers/shorten';
import { sendWith } from '../../helpers/providers/send';
import { errorItem } from '../common';

export { sendFields as description } from './send.fields';

interface Outcome {
	itemIndex: number;
	campaignId: string;
	report: MessageReport;
	output: INodeExecutionData;
	held?: boolean;
}

/**
 * Shortens every item's links (batched), sends each message through the provider (a bounded
 * number in parallel), reports all sends, failures and hold-outs to the server, then outputs the
 * sent messages on the first output and the hold-out on the second.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const continueOnFail = this.continueOnFail();
	const outcomes: Outcome[] = [];
	const errors: INodeExecutionData[] = [];
	let firstError: Error | undefined;
	const fail = (error: Error, itemIndex: number) => {
		if (!continueOnFail) throw error;
		errors.push(errorItem(error, itemIndex));
	};

	const abTest = this.getNodeParameter('abTest', 0, false) as boolean;
	const ab: AbTest | undefined = abTest ? readAbTest(this) : undefined;
	const byCampaign = new Map<string, Draft[]>();
	const settings: ShortenSettings[] = [];

	for (let i = 0; i < items.length; i++) {
		try {
			const campaignId = (this.getNodeParameter('campaignId', i) as string).trim();
			settings[i] = readSettings(this, i);
			const recipient = this.getNodeParameter('recipient', i);
			let variant: string | undefined;
			let text: string;
			if (ab) {
				const phone = normalisePhone(recipient, settings[i].defaultCallingCode);
				variant =
					'phone' in phone
						? assignVariant(campaignId, phone.phone, ab.variants, ab.holdout)
						: undefined;
				if (variant === holdoutVariant && 'phone' in phone) {
					const json: IDataObject = {
						campaignId,
						recipient: phone.phone,
						variant,
						status: 'holdout',
					};
					outcomes.push({
						itemIndex: i,
						campaignId,
						held: true,
						report: { recipient: phone.phone, variant, status: 'holdout' },
						output: { json, pairedItem: { item: i } },
					});
					continue;
				}
				text = variant ? variantText(this, i, variant) : '';
			} else {
				text = this.getNodeParameter('text', i) as string;
			}
			const d = draft(this, i, recipient, text, settings[i], variant);
			byCampaign.set(campaignId, [...(byCampaign.get(campaignId) ?? []), d]);
		} catch (error) {
			fail(error as Error, i);
		}
	}

	if (ab)
		for (const campaignId of new Set([...byCampaign.keys(), ...outcomes.map((o) => o.campaignId)]))
			await applyAbTest(this, campaignId, ab);

	const ready: Array<{ campaignId: string; prepared: Prepared }> = [];
	for (const [campaignId, drafts] of byCampaign) {
		const prepared = await shortenAll(this, campaignId, drafts, (i) => settings[i]);
		prepared.forEach((p, n) => {
			if (p instanceof Error) fail(p, drafts[n].itemIndex);
			else ready.push({ campaignId, prepared: p });
		});
	}

	const options = this.getNodeParameter('sendOptions', 0, {}) as IDataObject;
	const concurrency = Math.min(50, Math.max(1, Number(options.concurrency ?? 5)));
	const sent = await mapWithConcurrency(
		ready,
		concurrency,
		async ({ campaignId, prepared }): Promise<Outcome | undefined> => {
			if (firstError) return undefined; // stop handing out messages after a failure (without Continue On Fail)
			const itemIndex = prepared.draft.itemIndex;
			const base = describe(prepared, campaignId);
			const counts = {
				segments: prepared.result.after.segments,
				encoding: prepared.result.after.encoding,
				characters: prepared.result.after.characters,
			};
			try {
				const result = await sendWith(this, itemIndex, {
					to: prepared.draft.recipient,
					text: prepared.result.text,
				});
				const json: IDataObject = {
					...base,
					status: 'sent',
					provider: result.provider,
					providerMessageId: result.providerMessageId,
					providerSegments: result.segments ?? null,
				};
				const report: MessageReport = {
					recipient: prepared.draft.recipient,
					variant: prepared.variant,
					provider: result.provider,
					providerMessageId: result.providerMessageId,
					status: 'sent',
					...counts,
				};
				return { itemIndex, campaignId, report, output: { json, pairedItem: { item: itemIndex } } };
			} catch (error) {
				const err = error as Error;
				if (!continueOnFail) firstError ??= err;
				const provider = this.getNodeParameter('provider', itemIndex) as string;
				const report: MessageReport = {
					recipient: prepared.draft.recipient,
					variant: prepared.variant,
					provider,
					status: 'failed',
					error: err.message.slice(0, 500),
					...counts,
				};
				return {
					itemIndex,
					campaignId,
					report,
					output: errorItem(err, itemIndex, { ...base, status: 'failed', provider }),
				};
			}
		},
	);
	outcomes.push(...(sent.filter(Boolean) as Outcome[]));

	// Report everything that happened, also when a send failed, so no sent message goes unrecorded.
	let reportError: Error | undefined;
	for (const campaignId of new Set(outcomes.map((o) => o.campaignId))) {
		const mine = outcomes.filter((o) => o.campaignId === campaignId);
		try {
			await reportMessages(
				this,
				campaignId,
				mine.map((o) => o.report),
				mine[0].itemIndex,
			);
		} catch (error) {
			reportError ??= error as Error;
			for (const o of mine) o.output.json.reportError = (error as Error).message;
		}
	}
	if (firstError) throw firstError;
	if (reportError && !continueOnFail) throw reportError;

	const byItem = (a: INodeExecutionData, b: INodeExecutionData) =>
		(a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item;
	const main = [...outcomes.filter((o) => !o.held).map((o) => o.output), ...errors].sort(byItem);
	const held = outcomes
		.filter((o) => o.held)
		.map((o) => o.output)
		.sort(byItem);
	return [main, held];
}
