import { z } from 'zod';
import { describeRoutes } from '../http/route-schema';
import { byParser, coded } from '../http/schema';
import { e164, phoneInput } from '../shared/phone-schema';
import { parseTimeZone } from '../stats/time-zone';

/** Recipients per request: the node asks once per 10,000. */
export const maxRecipientsPerRequest = 10_000;

export const sendTimesBody = z.strictObject({
	recipients: z.array(phoneInput).min(1).max(maxRecipientsPerRequest),
	timeZone: z
		.string({ error: coded('invalid_time_zone', 'must be an IANA time zone name such as Europe/Berlin or UTC') })
		// parseTimeZone reads '' as UTC; here an empty zone is a mistake, so it is refused
		.transform(byParser((zone) => (zone === 'recipient' ? 'recipient' : parseTimeZone(zone === '' ? null : zone))))
		.nullish()
		.transform((zone) => zone ?? 'recipient')
		.meta({
			openapi: {
				type: 'string',
				default: 'recipient',
				description: "'recipient': each recipient's own zone (from the calling code); else one IANA zone for all",
			},
		}),
	minClicks: z.int().min(1).max(1000).nullish().transform((v) => v ?? 3),
	defaultHour: z.int().min(0).max(23).nullish().transform((v) => v ?? 10),
	campaignId: z.string().trim().min(1).max(100).nullish().transform((v) => v ?? undefined),
});

export type SendTimesRequest = Omit<z.output<typeof sendTimesBody>, 'recipients'> & { recipients: string[] };

export const sendTimes = z.object({
	recipients: z.array(
		z.object({
			recipient: e164,
			hour: z.int().min(0).max(23),
			timeZone: z.string(),
			source: z.enum(['recipient', 'audience', 'default']).meta({
				description: 'recipient: their own clicks; audience: too few of their own; default: no clicks at all',
			}),
			clicks: z.int().meta({ description: "The recipient's own clicks (across campaigns)" }),
		}),
	),
	audience: z.object({
		clicks: z.int(),
		hour: z.int().nullable(),
		hours: z.record(z.string(), z.number().nullable()),
	}),
});

export const sendTimeSchemas = describeRoutes('Send times', [
	{
		method: 'post',
		path: '/send-times',
		summary: "Each recipient's best hour of day to receive an SMS",
		scope: 'read',
		body: sendTimesBody,
		responses: { 200: sendTimes },
	},
]);
