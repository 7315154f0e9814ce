import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { getSendTimes, maxSendTimeRecipients } from '../../shared/tracking-api';
import type { Http } from '../../shared/transport';
import { chunk } from './concurrency';
import { isTimeZone, nextOccurrence } from './next-occurrence';
import type { ReadyMessage } from './prepare';
import type { SendSettings } from './providers/send';

export type ScheduleMode = 'now' | 'recipientHour' | 'audienceHour' | 'at';

export interface Schedule {
	mode: ScheduleMode;
	/** For 'at': the send time as the parameter gave it. */
	at: string;
	/** For the best-hour modes: 'recipient' (each recipient's own zone) or an IANA zone. */
	timeZone: string;
	minClicks: number;
	/** Whether the audience is the item's campaign (else everyone's clicks). */
	campaignAudience: boolean;
}

/** The hour used when nobody in the audience has clicked yet. */
export const fallbackHour = 10;
const minute = 60_000;
/** Twilio schedules from 15 minutes to 35 days ahead (its error 35114). */
export const twilioWindow = { min: 15 * minute, max: 35 * 24 * 60 * minute };
/** Best hours are planned this far ahead at least: Twilio's minimum plus time for the send itself. */
const planningLead = 20 * minute;

const schedules = new WeakMap<IExecuteFunctions, Schedule>();

/** The node's Schedule parameters (the same for every item), read once per run. */
export function readSchedule(ctx: IExecuteFunctions): Schedule {
	const known = schedules.get(ctx);
	if (known) return known;
	const schedule = readScheduleParameters(ctx);
	schedules.set(ctx, schedule);
	return schedule;
}

function readScheduleParameters(ctx: IExecuteFunctions): Schedule {
	const mode = ctx.getNodeParameter('schedule', 0, 'now') as ScheduleMode;
	const options = ctx.getNodeParameter('scheduleOptions', 0, {}) as IDataObject;
	const timeZone = String(options.timeZone ?? '').trim() || 'recipient';
	if (timeZone !== 'recipient' && !isTimeZone(timeZone))
		throw new NodeOperationError(
			ctx.getNode(),
			`"${timeZone}" is not an IANA time zone (such as Europe/Berlin); leave Time Zone empty for each recipient's own`,
			{ itemIndex: 0 },
		);
	return {
		mode,
		at: mode === 'at' ? String(ctx.getNodeParameter('scheduleAt', 0, '') ?? '') : '',
		timeZone,
		minClicks: Math.max(1, Math.round(Number(options.minClicks ?? 3))),
		campaignAudience: options.audience === 'campaign',
	};
}

/** When each message goes out and why: what the output item shows. */
export interface Planned {
	sendAt: Date;
	hour?: number;
	timeZone?: string;
	source?: string;
}

/** Asks the server for the best hours (one call per campaign audience and 10,000 recipients). */
async function bestHours(
	http: Http,
	ready: ReadyMessage[],
	schedule: Schedule,
	now: Date,
): Promise<Map<ReadyMessage, Planned>> {
	const planned = new Map<ReadyMessage, Planned>();
	const notBefore = new Date(now.getTime() + planningLead);
	const occurrences = new Map<string, Date>();
	const groups = new Map<string, ReadyMessage[]>();
	for (const message of ready) {
		const key = schedule.campaignAudience ? message.campaignId : '';
		groups.set(key, [...(groups.get(key) ?? []), message]);
	}
	for (const [campaignId, messages] of groups) {
		const recipients = [...new Set(messages.map((m) => m.prepared.draft.recipient))];
		const times = new Map<string, Omit<Planned, 'sendAt'>>();
		for (const batch of chunk(recipients, maxSendTimeRecipients)) {
			const answer = await getSendTimes(
				http,
				{
					recipients: batch,
					timeZone: schedule.timeZone,
					minClicks: schedule.minClicks,
					defaultHour: fallbackHour,
					...(campaignId ? { campaignId } : {}),
				},
				messages[0].prepared.draft.itemIndex,
			);
			for (const r of answer.recipients) {
				const audienceHour = answer.audience.hours[r.timeZone];
				times.set(
					r.recipient,
					schedule.mode === 'audienceHour'
						? {
								hour: audienceHour ?? fallbackHour,
								timeZone: r.timeZone,
								source: audienceHour === null ? 'default' : 'audience',
							}
						: { hour: r.hour, timeZone: r.timeZone, source: r.source },
				);
			}
		}
		for (const message of messages) {
			const time = times.get(message.prepared.draft.recipient)!;
			const key = `${time.hour} ${time.timeZone}`;
			if (!occurrences.has(key))
				occurrences.set(key, nextOccurrence(time.hour!, time.timeZone!, notBefore));
			planned.set(message, { ...time, sendAt: occurrences.get(key)! });
		}
	}
	return planned;
}

/** Why this item's message cannot be scheduled with its provider; undefined when it can. */
function scheduleProblem(settings: SendSettings, sendAt: Date, now: Date): string | undefined {
	const ahead = sendAt.getTime() - now.getTime();
	if (Number.isNaN(ahead)) return 'The schedule time is not a valid date and time';
	if (settings.provider === 'twilio') {
		if (!settings.messagingServiceSid)
			return 'Twilio schedules messages only through a Messaging Service: fill in Messaging Service SID (MG…) to schedule';
		if (ahead < twilioWindow.min || ahead > twilioWindow.max)
			return `The send time ${sendAt.toISOString()} is outside Twilio's scheduling window (15 minutes to 35 days ahead)`;
	} else if (ahead <= 0) {
		return `The send time ${sendAt.toISOString()} is in the past`;
	}
	return undefined;
}

/**
 * Refuses an item whose provider cannot take the schedule, before its links are made: Twilio
 * without a Messaging Service, or a fixed time outside the provider's window. (A best hour is
 * always 20 minutes to about two days ahead, inside Twilio's window.)
 */
export function checkSchedule(
	ctx: IExecuteFunctions,
	settings: SendSettings,
	itemIndex: number,
	now = new Date(),
): void {
	const schedule = readSchedule(ctx);
	if (schedule.mode === 'now') return;
	const sendAt =
		schedule.mode === 'at' ? new Date(schedule.at) : new Date(now.getTime() + planningLead);
	const problem = scheduleProblem(settings, sendAt, now);
	if (problem) throw new NodeOperationError(ctx.getNode(), problem, { itemIndex });
}

/**
 * Plans when each message is sent and puts it into the item's send settings (seven.io: delay,
 * Twilio: SendAt with ScheduleType fixed). An item that cannot be scheduled with its provider
 * goes to `fail` (it throws without Continue On Fail, before anything is sent) and is left out.
 */
export async function applySchedule(
	ctx: IExecuteFunctions,
	http: Http,
	ready: ReadyMessage[],
	sendSettings: SendSettings[],
	fail: (error: Error, itemIndex: number) => void,
	now = new Date(),
): Promise<ReadyMessage[]> {
	const schedule = readSchedule(ctx);
	if (schedule.mode === 'now' || ready.length === 0) return ready;
	const planned =
		schedule.mode === 'at'
			? new Map(ready.map((m) => [m, { sendAt: new Date(schedule.at) } as Planned]))
			: await bestHours(http, ready, schedule, now);
	const scheduled: ReadyMessage[] = [];
	for (const message of ready) {
		const itemIndex = message.prepared.draft.itemIndex;
		const plan = planned.get(message)!;
		const problem = scheduleProblem(sendSettings[itemIndex], plan.sendAt, now);
		if (problem) {
			fail(new NodeOperationError(ctx.getNode(), problem, { itemIndex }), itemIndex);
			continue;
		}
		sendSettings[itemIndex] = { ...sendSettings[itemIndex], schedule: plan };
		scheduled.push(message);
	}
	return scheduled;
}
