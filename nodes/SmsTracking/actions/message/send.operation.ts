import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { normalisePhone } from '../../../shared/phone';
import { setVariants } from '../../../shared/tracking-api';
import { httpOf } from '../../../shared/transport';
import { assignVariant, holdoutVariant } from '../../../shared/variants';
import { parseAbTest, variantText } from '../../helpers/ab';
import { heldOutcome, type Outcome } from '../../helpers/deliver';
import { errorItem } from '../../helpers/error-item';
import { leaveOutOptedOut } from '../../helpers/opt-outs';
import { prepareMessages, type MessageInput } from '../../helpers/prepare';
import { applySchedule, checkSchedule } from '../../helpers/schedule';
import { concurrencyOf, sendInSlices } from '../../helpers/send-slices';
import type { SendSettings } from '../../helpers/providers/send';
import {
	readMetadata,
	readSendSettings,
	readShortenSettings,
	readVariantEntries,
	readVariantTemplates,
	readWave,
} from './parameters';
import { pickedCampaignId } from '../../../shared/campaign-locator';
import { sendWinnerToHoldout } from './send.winner';

export { sendFields as description } from './send.fields';

/**
 * Shortens every item's links (batched), sends each message through the provider (a bounded
 * number in parallel), reports the sends, failures and hold-outs to the server slice by slice,
 * then outputs the sent messages on the first output and, with an A/B test, the hold-out on the
 * second.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const http = httpOf(this);
	if (this.getNodeParameter('sendMode', 0, 'items') === 'winnerToHoldout')
		return await sendWinnerToHoldout(this, http, items);
	const continueOnFail = this.continueOnFail();
	const outcomes: Outcome[] = [];
	const errors: INodeExecutionData[] = [];
	const fail = (error: Error, itemIndex: number) => {
		if (!continueOnFail) throw error;
		errors.push(errorItem(error, itemIndex, items[itemIndex].json));
	};

	const ab = (this.getNodeParameter('abTest', 0, false) as boolean)
		? parseAbTest(
				this.getNode(),
				readVariantEntries(this, 0),
				this.getNodeParameter('holdoutPercent', 0, 0),
			)
		: undefined;
	const sendSettings: SendSettings[] = [];

	/** The item's message; undefined for a recipient the A/B test holds out. */
	const read = (i: number): MessageInput | undefined => {
		const input = readItem(i);
		if (input) checkSchedule(this, sendSettings[i], i);
		return input;
	};
	const readItem = (i: number): MessageInput | undefined => {
		const campaignId = pickedCampaignId(this, i);
		const settings = readShortenSettings(this, i);
		const wave = readWave(this, i);
		sendSettings[i] = readSendSettings(this, i);
		const recipient = this.getNodeParameter('recipient', i);
		const metadata = readMetadata(this, i);
		if (!ab) {
			const text = this.getNodeParameter('text', i) as string;
			return { campaignId, recipient, settings, wave, text, metadata };
		}
		const phone = normalisePhone(recipient, settings.defaultCallingCode);
		if ('error' in phone) return { campaignId, recipient, settings, wave, text: '' }; // the draft names the error
		const variant = assignVariant(campaignId, phone.phone, ab.variants, ab.holdout);
		if (variant === holdoutVariant) {
			outcomes.push(
				heldOutcome(i, items[i].json, campaignId, phone.phone, variant, wave, metadata),
			);
			return undefined;
		}
		const text = variantText(readVariantEntries(this, i), variant);
		return { campaignId, recipient, settings, wave, text, variant, metadata };
	};
	const applyAbTest = async (campaignIds: string[]) => {
		if (!ab) return;
		const templates = readVariantTemplates(this);
		const split = {
			holdout: ab.holdout,
			variants: ab.variants.map((v) =>
				templates.has(v.name) ? { ...v, text: templates.get(v.name) } : v,
			),
		};
		for (const campaignId of new Set([...campaignIds, ...outcomes.map((o) => o.campaignId)]))
			await setVariants(http, campaignId, split, 0);
	};
	const prepared = await prepareMessages(http, items.length, read, fail, applyAbTest);
	const { sendable, optedOut } = await leaveOutOptedOut(
		http,
		prepared,
		items.map((item) => item.json),
	);
	const ready = await applySchedule(this, http, sendable, sendSettings, fail);

	const options = this.getNodeParameter('sendOptions', 0, {}) as IDataObject;
	const done = await sendInSlices(
		http,
		ready,
		sendSettings,
		items.map((item) => item.json),
		{ concurrency: concurrencyOf(options), continueOnFail },
		outcomes,
	);

	const byItem = (a: INodeExecutionData, b: INodeExecutionData) =>
		(a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item;
	const main = [...done.filter((o) => !o.held).map((o) => o.output), ...optedOut, ...errors].sort(
		byItem,
	);
	const held = done
		.filter((o) => o.held)
		.map((o) => o.output)
		.sort(byItem);
	// Without an A/B test the node has one output (see the node's `outputs`).
	return ab ? [main, held] : [main];
}
