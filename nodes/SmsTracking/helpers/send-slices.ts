import type { IDataObject } from 'n8n-workflow';
import type { Http } from '../../shared/transport';
import { chunk, mapWithConcurrency } from './concurrency';
import { reportOutcomes, sendOne, type Outcome } from './deliver';
import type { ReadyMessage } from './prepare';
import type { SendSettings } from './providers/send';

/** Sent messages are reported to the server after every slice of this many. */
const reportEvery = 1000;

/**
 * Sends the ready messages through their providers (`concurrency` at a time) and reports each
 * slice to the server as soon as it is done, together with the `unreported` outcomes (hold-outs),
 * so a long run that breaks off (a failure, n8n stopping) leaves every sent message recorded.
 * Returns every outcome; without Continue On Fail the first failed send or report is thrown once
 * what was sent is reported, and nothing further is handed to the provider.
 */
export async function sendInSlices(
	http: Http,
	ready: ReadyMessage[],
	sendSettings: SendSettings[],
	inputs: IDataObject[],
	{ concurrency, continueOnFail }: { concurrency: number; continueOnFail: boolean },
	unreported: Outcome[] = [],
): Promise<Outcome[]> {
	const outcomes: Outcome[] = [...unreported];
	let firstError: Error | undefined;
	let reportError: Error | undefined;
	for (const slice of chunk(ready, reportEvery)) {
		const done = (
			await mapWithConcurrency(slice, concurrency, async ({ campaignId, prepared }) => {
				// After a failure (without Continue On Fail) no further message is handed out.
				if (firstError) return undefined;
				const itemIndex = prepared.draft.itemIndex;
				const outcome = await sendOne(
					http,
					campaignId,
					prepared,
					sendSettings[itemIndex],
					inputs[itemIndex],
				);
				if (outcome.failed && !continueOnFail) firstError ??= outcome.failed;
				return outcome;
			})
		).filter((o): o is Outcome => o !== undefined);
		outcomes.push(...done);
		reportError ??= await reportOutcomes(http, [...unreported, ...done]);
		unreported = [];
		if (firstError || (reportError && !continueOnFail)) break;
	}
	if (unreported.length) reportError ??= await reportOutcomes(http, unreported);
	if (firstError) throw firstError;
	if (reportError && !continueOnFail) throw reportError;
	return outcomes;
}

/** Parallel Sends (Send Options), kept within 1–50. */
export function concurrencyOf(sendOptions: IDataObject): number {
	return Math.min(50, Math.max(1, Number(sendOptions.concurrency ?? 5)));
}
