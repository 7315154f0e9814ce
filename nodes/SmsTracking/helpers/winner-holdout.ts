import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import {
	getCampaign,
	getRecipientsPage,
	pickWinner,
	releaseSendLock,
	takeSendLock,
} from '../../shared/tracking-api';
import type { Http } from '../../shared/transport';
import { holdoutVariant } from '../../shared/variants';

/** Recipients per page read from the server (its maximum). */
const pageSize = 1000;

const percent = (rate: unknown) =>
	typeof rate === 'number' ? `${Math.round(rate * 10_000) / 100} %` : 'no rate';

/**
 * The campaign's recorded winner and its stored text. No winner recorded, a tie, a winner without
 * a stored text or one that is an n8n expression each fail the item before anything is sent.
 */
export async function recordedWinner(
	http: Http,
	campaignId: string,
	itemIndex: number,
): Promise<{ winner: string; text: string }> {
	const campaign = await getCampaign(http, campaignId, itemIndex);
	const name = `campaign "${String(campaign.name)}"`;
	const variants = (campaign.variants as Array<{ name: string; text?: string }> | null) ?? [];
	const refuse = (message: string, description: string) =>
		new NodeOperationError(http.node, message, { itemIndex, description });
	if (!variants.length)
		throw refuse(
			`The ${name} has no A/B test, so there is no winner to send`,
			'Send an A/B test first (Send with A/B Test on and a hold-out); nothing was sent',
		);
	const winner = typeof campaign.winner === 'string' ? campaign.winner : '';
	// What the server's A/B test rule decided (null until it did): a tie is recorded as one.
	const result = campaign.abTestResult as
		| { tie?: boolean; tied?: string[]; metric?: string; variants?: IDataObject[] }
		| null
		| undefined;
	if (!winner && result?.tie) {
		const tied = [...(result.tied ?? [])].sort();
		const rate = result.variants?.find((v) => v.variant === tied[0])?.rate;
		const metric = result.metric === 'conversionRate' ? 'conversion rate' : 'click rate';
		throw refuse(
			`The A/B test of the ${name} ended in a tie: ${tied.join(' and ')} have the same ${metric} (${percent(rate)}), so there is no winner to send`,
			'Send one of the texts to the hold-out yourself (Mode: Each Item with Get Recipients, Status: Hold-Out); nothing was sent',
		);
	}
	if (!winner) {
		// campaigns.winner is null both before the test is decided and when it ended in a tie;
		// the current decision by click rate tells the two apart (deciding only reads). Variants
		// that all have no click yet are not called a tie: nothing is decided yet.
		const decision = await pickWinner(http, campaignId, { metric: 'ctr' }, itemIndex);
		const tied = (decision.tied as string[] | undefined) ?? [];
		const rate = (decision.variants as IDataObject[] | undefined)?.find(
			(v) => v.variant === tied[0],
		)?.rate;
		if (tied.length && typeof rate === 'number' && rate > 0) {
			throw refuse(
				`The A/B test of the ${name} is a tie: ${[...tied].sort().join(' and ')} have the same click rate (${percent(rate)}), so there is no winner to send`,
				'Wait for more clicks and record a winner, or send one of the texts to the hold-out yourself (Mode: Each Item with Get Recipients, Status: Hold-Out); nothing was sent',
			);
		}
		throw refuse(
			`No A/B winner is recorded for the ${name} yet`,
			'Record one with Campaign → Pick Winner (Record Winner on), or let the server decide it by the A/B rule and start this from the winner trigger; nothing was sent',
		);
	}
	const text = variants.find((v) => v.name === winner)?.text ?? '';
	if (!text.trim())
		throw refuse(
			`The winning variant ${winner} of the ${name} has no stored text`,
			'The A/B send stores each variant’s text with the split; this campaign’s split was set without texts (by the API or an older node). Nothing was sent.',
		);
	if (text.includes('{{'))
		throw refuse(
			`The winning text of the ${name} is an n8n expression (${text.slice(0, 80)}), which was resolved per item in the A/B send and cannot be resolved for the hold-out here`,
			'Send the hold-out with Campaign → Get Recipients (Status: Hold-Out) and Send (Mode: Each Item) and the text written out; nothing was sent',
		);
	return { winner, text };
}

/** Every hold-out recipient the wave has not reached, page by page (no size limit). */
export async function unreachedHoldout(
	http: Http,
	campaignId: string,
	wave: string,
	itemIndex: number,
): Promise<Array<{ recipient: string; metadata: IDataObject | null }>> {
	const found: Array<{ recipient: string; metadata: IDataObject | null }> = [];
	let cursor: string | null = null;
	do {
		const page = await getRecipientsPage(
			http,
			campaignId,
			{
				status: holdoutVariant,
				notSentInWave: wave,
				limit: pageSize,
				...(cursor ? { cursor } : {}),
			},
			itemIndex,
		);
		for (const r of page.recipients)
			found.push({
				recipient: String(r.recipient),
				metadata: (r.metadata as IDataObject | null) ?? null,
			});
		cursor = page.nextCursor;
	} while (cursor);
	return found;
}

/**
 * Takes the lock of the campaign's wave on the server for this run, so that two runs at once (the
 * winner trigger's and a manual one) never send a hold-out recipient the winner twice. Another
 * run holding it fails the item before anything is read or sent.
 */
export async function lockWave(
	http: Http,
	campaignId: string,
	wave: string,
	holder: string,
	itemIndex: number,
): Promise<void> {
	try {
		await takeSendLock(http, campaignId, { wave, holder }, itemIndex);
	} catch (error) {
		// A NodeApiError built from a NodeApiError is that same error (n8n-workflow hands it back).
		if (!(error instanceof NodeApiError) || error.httpCode !== '409')
			throw new NodeApiError(http.node, error as JsonObject, { itemIndex });
		throw new NodeOperationError(
			http.node,
			`Another run is already sending the wave "${wave}" of this campaign to its hold-out`,
			{
				itemIndex,
				description: `${error.message}. That run sends to everyone the wave has not reached; this one sent nothing. Run it again once the other has finished to catch anyone that run could not reach.`,
			},
		);
	}
}

/** Gives the wave's lock back once this run is done (a lock left behind ends with its lease). */
export async function unlockWave(http: Http, campaignId: string, wave: string, holder: string) {
	await releaseSendLock(http, campaignId, wave, holder).catch(() => undefined);
}
