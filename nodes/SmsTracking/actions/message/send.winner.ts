import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { requiredCampaignId } from '../../../shared/campaign-locator';
import type { Http } from '../../../shared/transport';
import { holdoutVariant } from '../../../shared/variants';
import { errorItem } from '../../helpers/error-item';
import { leaveOutOptedOut } from '../../helpers/opt-outs';
import { prepareMessages, type MessageInput, type ShortenSettings } from '../../helpers/prepare';
import type { SendSettings } from '../../helpers/providers/send';
import { applySchedule, checkSchedule } from '../../helpers/schedule';
import { concurrencyOf, sendInSlices } from '../../helpers/send-slices';
import { lockWave, recordedWinner, unlockWave, unreachedHoldout } from '../../helpers/winner-holdout';
import { readMetadata, readSendSettings, readShortenSettings } from './parameters';

/** The winner send's wave when the Wave field is left empty. */
export const winnerWave = 'Winner';

/** One hold-out recipient to send the winner to, and the input item that asked for it. */
interface Target {
	source: number;
	campaignId: string;
	recipient: string;
	text: string;
	wave: string;
	metadata: IDataObject | null;
}

/** Points an error that names a hold-out recipient's position at the input item that asked for it. */
function atInputItem(error: unknown, targets: Target[]): unknown {
	const context = (error as { context?: IDataObject }).context;
	const index = context?.itemIndex;
	if (context && typeof index === 'number' && targets[index])
		context.itemIndex = targets[index].source;
	return error;
}

/**
 * Send in Mode "Winning Variant → Hold-Out": for each input item's campaign (each campaign once),
 * the recorded winner's stored text goes to every hold-out recipient the wave has not reached yet,
 * read from the server. The recipients then run through Send's own pipeline (links per recipient
 * in the wave, opt-outs, schedule, sends reported slice by slice), indexed by their position in
 * the list; every output and error is pointed back at the input item of its campaign. Each
 * campaign's wave is locked on the server for the run (another run at the same time fails its item
 * instead of sending the same people) and given back at the end, whatever happened.
 */
export async function sendWinnerToHoldout(
	ctx: IExecuteFunctions,
	http: Http,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	// this run's name on the server's send locks: the execution, and a random part for runs without one
	const holder = `n8n execution ${ctx.getExecutionId() || 'none'} ${Math.random().toString(36).slice(2, 10)}`;
	const locked: Array<{ campaignId: string; wave: string }> = [];
	try {
		return await sendLocked(ctx, http, items, holder, locked);
	} finally {
		for (const { campaignId, wave } of locked) await unlockWave(http, campaignId, wave, holder);
	}
}

async function sendLocked(
	ctx: IExecuteFunctions,
	http: Http,
	items: INodeExecutionData[],
	holder: string,
	locked: Array<{ campaignId: string; wave: string }>,
): Promise<INodeExecutionData[][]> {
	const continueOnFail = ctx.continueOnFail();
	const errors: INodeExecutionData[] = [];
	const targets: Target[] = [];
	const seen = new Set<string>();
	for (let i = 0; i < items.length; i++) {
		try {
			const campaignId = requiredCampaignId(ctx, i);
			const wave = String(ctx.getNodeParameter('wave', i, '') ?? '').trim() || winnerWave;
			const key = `${campaignId}\n${wave}`;
			if (seen.has(key)) continue;
			seen.add(key);
			const { text } = await recordedWinner(http, campaignId, i);
			// before reading whom the wave has not reached: a run at the same time is refused here
			await lockWave(http, campaignId, wave, holder, i);
			locked.push({ campaignId, wave });
			for (const { recipient, metadata } of await unreachedHoldout(http, campaignId, wave, i))
				targets.push({ source: i, campaignId, recipient, text, wave, metadata });
		} catch (error) {
			if (!continueOnFail) {
				if (error instanceof NodeApiError)
					throw new NodeApiError(ctx.getNode(), error as unknown as JsonObject, { itemIndex: i });
				throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
			}
			errors.push(errorItem(error as Error, i, items[i].json));
		}
	}

	// Parameters are read once per input item, not once per recipient.
	const perItem = new Map<
		number,
		{ shorten: ShortenSettings; send: SendSettings; metadata?: IDataObject }
	>();
	const settingsOf = (source: number) => {
		if (!perItem.has(source))
			perItem.set(source, {
				shorten: readShortenSettings(ctx, source),
				send: readSendSettings(ctx, source),
				metadata: readMetadata(ctx, source),
			});
		return perItem.get(source)!;
	};
	const inputs = targets.map((t) => ({
		campaignId: t.campaignId,
		recipient: t.recipient,
		...(t.metadata ? { metadata: t.metadata } : {}),
	}));
	const sendSettings: SendSettings[] = [];
	const fail = (error: Error, k: number) => {
		if (!continueOnFail) throw error; // pointed at its input item below
		errors.push(errorItem(error, targets[k].source, inputs[k]));
	};
	const read = (k: number): MessageInput => {
		const target = targets[k];
		const settings = settingsOf(target.source);
		sendSettings[k] = settings.send;
		checkSchedule(ctx, sendSettings[k], k);
		return {
			campaignId: target.campaignId,
			recipient: target.recipient,
			text: target.text,
			settings: settings.shorten,
			wave: target.wave,
			// The winner wave keeps them in the hold-out: its numbers are the winner's effect on them.
			variant: holdoutVariant,
			...(settings.metadata ? { metadata: settings.metadata } : {}),
		};
	};

	let outputs: INodeExecutionData[];
	try {
		const prepared = await prepareMessages(http, targets.length, read, fail);
		const { sendable, optedOut } = await leaveOutOptedOut(http, prepared, inputs);
		const ready = await applySchedule(ctx, http, sendable, sendSettings, fail);
		const options = ctx.getNodeParameter('sendOptions', 0, {}) as IDataObject;
		const done = await sendInSlices(http, ready, sendSettings, inputs, {
			concurrency: concurrencyOf(options),
			continueOnFail,
		});
		outputs = [...done.map((o) => o.output), ...optedOut];
	} catch (error) {
		throw atInputItem(error, targets);
	}
	for (const output of outputs) {
		const k = (output.pairedItem as { item: number }).item;
		output.pairedItem = { item: targets[k].source };
	}
	const order = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
	return [[...outputs, ...errors].sort((a, b) => order(a) - order(b))];
}
