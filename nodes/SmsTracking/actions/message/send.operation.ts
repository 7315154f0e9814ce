import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { holdoutVariant, assignVariant } from '../../../shared/variants';
import { normalisePhone } from '../../../shared/phone';
import { applyAbTest, readAbTest, variantText, type AbTest } from '../../helpers/ab';
import { chunk, mapWithConcurrency } from '../../helpers/concurrency';
import { reportOutcomes, sendOne, type Outcome } from '../../helpers/deliver';
import {
	draft,
	readSettings,
	shortenAll,
	type Draft,
	type Prepared,
	type ShortenSettings,
} from '../../helpers/shorten';
import { errorItem } from '../common';

export { sendFields as description } from './send.fields';

/** Sent messages are reported to the server after every slice of this many. */
const reportEvery = 1000;

/**
 * Shortens every item's links (batched), sends each message through the provider (a bounded
 * number in parallel), reports the sends, failures and hold-outs to the server slice by slice,
 * then outputs the sent messages on the first output and the hold-out on the second.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const continueOnFail = this.continueOnFail();
	const outcomes: Outcome[] = [];
	const errors: INodeExecutionData[] = [];
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
			if (!byCampaign.has(campaignId)) byCampaign.set(campaignId, []);
			byCampaign.get(campaignId)!.push(d);
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

	// Send in slices and report each slice as soon as it is done, so a long run that breaks off
	// (a failure, n8n stopping) leaves every sent message recorded on the server.
	const options = this.getNodeParameter('sendOptions', 0, {}) as IDataObject;
	const concurrency = Math.min(50, Math.max(1, Number(options.concurrency ?? 5)));
	let unreported = [...outcomes];
	let firstError: Error | undefined;
	let reportError: Error | undefined;
	for (const slice of chunk(ready, reportEvery)) {
		const done = (
			await mapWithConcurrency(slice, concurrency, async ({ campaignId, prepared }) => {
				// After a failure (without Continue On Fail) no further message is handed out.
				if (firstError) return undefined;
				const outcome = await sendOne(this, campaignId, prepared);
				if (outcome.failed && !continueOnFail) firstError ??= outcome.failed;
				return outcome;
			})
		).filter((o): o is Outcome => o !== undefined);
		outcomes.push(...done);
		reportError ??= await reportOutcomes(this, [...unreported, ...done]);
		unreported = [];
		if (firstError || (reportError && !continueOnFail)) break;
	}
	if (unreported.length) reportError ??= await reportOutcomes(this, unreported);
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
