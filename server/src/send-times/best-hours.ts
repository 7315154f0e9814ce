import type { Database } from '../db';
import { foldCampaign, foldEvents, maxFoldPerRequest } from '../stats/rollup-folder';
import { recipientTimeZone } from './recipient-zone';
import type { SendTimesRequest } from './schemas';
import type { z } from 'zod';
import type { sendTimes } from './schemas';

export type SendTime = SendTimes['recipients'][number];

/** The answer of POST /send-times (send-times/schemas.ts). */
export type SendTimes = z.output<typeof sendTimes>;

/** The hour with the most clicks; a tie goes to the earliest hour. Null without clicks. */
function bestHour(byHour: Map<number, number>): number | null {
	let best: number | null = null;
	for (const [hour, clicks] of byHour) {
		const top = best === null ? -1 : byHour.get(best)!;
		if (clicks > top || (clicks === top && hour < best!)) best = hour;
	}
	return best;
}

// A recipient's clicks by local hour, across campaigns, from the 15-minute UTC slots: converting
// each slot with its own UTC offset makes daylight saving time exact (a 19:00 click is 19:00
// in summer and in winter) and keeps half-hour zones (India, +05:30) right.
const recipientHoursSql = `
SELECT r.recipient, extract(hour FROM s.slot AT TIME ZONE r.zone)::int AS hour, sum(s.clicks)::int AS clicks
FROM unnest($1::text[], $2::text[]) AS r(recipient, zone)
JOIN stats_recipient_slots s ON s.recipient = r.recipient
WHERE s.clicks > 0
GROUP BY 1, 2`;

// The audience's clicks by local hour, per asked zone: all clicks, or one campaign's.
const audienceHoursSql = `
WITH per_slot AS (
  SELECT slot, sum(clicks) AS clicks FROM stats_slots
  WHERE clicks > 0 AND ($2::text IS NULL OR campaign_id = $2)
  GROUP BY slot)
SELECT z.zone, extract(hour FROM p.slot AT TIME ZONE z.zone)::int AS hour, sum(p.clicks)::bigint AS clicks
FROM per_slot p CROSS JOIN unnest($1::text[]) AS z(zone)
GROUP BY 1, 2`;

/**
 * Folds what is still queued, so the answer counts every click stored before the request: all
 * of it, then once more each campaign still queued, waiting for folds of other processes that
 * hold some of it (SKIP LOCKED), and the asked campaign. (Finding only the recipients' queued
 * events would join the queue with the events by recipient, which no index serves.)
 */
async function foldQueued(db: Database, campaignId: string | undefined): Promise<void> {
	while ((await foldEvents(db, null, maxFoldPerRequest)) === maxFoldPerRequest) {
		// a large backlog: keep folding in bounded steps
	}
	const { rows } = await db.query<{ campaign_id: string }>(
		'SELECT DISTINCT campaign_id FROM stats_pending',
	);
	const campaigns = new Set(rows.map((row) => row.campaign_id));
	if (campaignId) campaigns.add(campaignId);
	for (const campaign of campaigns) await foldCampaign(db, campaign);
}

export async function computeSendTimes(
	db: Database,
	request: SendTimesRequest,
): Promise<SendTimes> {
	const { recipients, campaignId, minClicks, defaultHour } = request;
	const zoneOf = (recipient: string) =>
		request.timeZone === 'recipient' ? recipientTimeZone(recipient) : request.timeZone;
	const zones = recipients.map(zoneOf);
	await foldQueued(db, campaignId);

	const own = await db.query<{ recipient: string; hour: number; clicks: number }>(
		recipientHoursSql,
		[recipients, zones],
	);
	const byRecipient = new Map<string, Map<number, number>>();
	for (const row of own.rows) {
		const hours = byRecipient.get(row.recipient) ?? new Map<number, number>();
		hours.set(row.hour, (hours.get(row.hour) ?? 0) + row.clicks);
		byRecipient.set(row.recipient, hours);
	}

	const distinctZones = [...new Set(zones)];
	const audience = await db.query<{ zone: string; hour: number; clicks: string }>(
		audienceHoursSql,
		[distinctZones, campaignId ?? null],
	);
	const audienceByZone = new Map<string, Map<number, number>>(
		distinctZones.map((z) => [z, new Map()]),
	);
	for (const row of audience.rows) audienceByZone.get(row.zone)!.set(row.hour, Number(row.clicks));
	const audienceHours: Record<string, number | null> = {};
	for (const [zone, hours] of audienceByZone) audienceHours[zone] = bestHour(hours);
	const audienceClicks = [...(audienceByZone.get(distinctZones[0])?.values() ?? [])].reduce(
		(a, b) => a + b,
		0,
	);

	return {
		recipients: recipients.map((recipient, i) => {
			const timeZone = zones[i];
			const hours = byRecipient.get(recipient);
			const clicks = hours ? [...hours.values()].reduce((a, b) => a + b, 0) : 0;
			if (hours && clicks >= minClicks) {
				return { recipient, hour: bestHour(hours)!, timeZone, source: 'recipient', clicks };
			}
			const hour = audienceHours[timeZone];
			if (hour !== null) return { recipient, hour, timeZone, source: 'audience', clicks };
			return { recipient, hour: defaultHour, timeZone, source: 'default', clicks };
		}),
		audience: {
			clicks: audienceClicks,
			// one hour when all recipients share a zone; per zone in hours
			hour: distinctZones.length === 1 ? audienceHours[distinctZones[0]] : null,
			hours: audienceHours,
		},
	};
}
