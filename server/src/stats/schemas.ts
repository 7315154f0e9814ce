import { z } from 'zod';
import { nextCursor, pageLimit, queryFlag, queryInstant, timestamp } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { byParser, coded } from '../http/schema';
import { absoluteUrl } from '../shared/url-schema';
import { waveName } from '../shared/waves';
import { decodeCursor } from './recipients-cursor';
import { parseTimeZone } from './time-zone';

export const recipientStatuses = ['sent', 'delivered', 'failed', 'holdout'] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

export const timeZoneParam = z
	.string({ error: coded('invalid_time_zone', 'must be an IANA time zone name such as Europe/Berlin or UTC') })
	.transform(byParser((zone) => parseTimeZone(zone)))
	.optional()
	.transform((zone) => zone ?? 'UTC')
	.meta({ openapi: { type: 'string', default: 'UTC', description: 'An IANA time zone, such as Europe/Berlin' } });

const twoYearsAfter = (date: Date) => {
	const later = new Date(date);
	later.setUTCFullYear(later.getUTCFullYear() + 2);
	return later.getTime();
};

/** from (inclusive) and to (exclusive) of a range; null: open. */
const rangeFields = {
	from: queryInstant.optional().transform((v) => v ?? null),
	to: queryInstant.optional().transform((v) => v ?? null),
};

/** A range's rule: from before to, at most 2 years apart. */
export function checkRange({ from, to }: { from: unknown; to: unknown }, ctx: z.RefinementCtx): void {
	// zod runs this even when a field failed (its value then is the raw text): dates only
	if (!(from instanceof Date && to instanceof Date)) return;
	if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
	else if (to.getTime() > twoYearsAfter(from))
		ctx.addIssue({ code: 'custom', path: ['to'], message: coded('range_too_long', 'may be at most 2 years after from') });
}

/** from/to/timeZone/wave of GET …/stats. */
export const statsQuery = z
	.strictObject({
		...rangeFields,
		timeZone: timeZoneParam,
		wave: waveName.optional().meta({ description: 'Limit the evaluation to one send wave' }),
	})
	.superRefine(checkRange);

export type StatsQuery = z.output<typeof statsQuery>;

const maxHours = 24 * 366;
const hours = z
	.string()
	.regex(/^\d{1,5}$/, { error: `must be a whole number of hours from 1 to ${maxHours}` })
	.transform(Number)
	.refine((n) => n >= 1 && n <= maxHours, { error: `must be a whole number of hours from 1 to ${maxHours}` })
	.optional()
	.meta({ openapi: { type: 'integer', minimum: 1, maximum: maxHours } });

const name = (max: number) =>
	z.string({ error: `must be a text of at most ${max} characters` }).max(max, { error: `must be a text of at most ${max} characters` });

/**
 * The filters, range and page of GET …/recipients (docs/api.md#segments), before the range's rule
 * (recipients.csv takes them without the page); combined in segment.ts.
 */
export const recipientFields = z.strictObject({
	...rangeFields,
	status: z.enum(recipientStatuses).optional(),
	holdout: z.enum(['include', 'exclude']).optional(),
	clicked: queryFlag.optional(),
	viewed: queryFlag.optional(),
	converted: queryFlag.optional(),
	variant: z
		.string({ error: 'must be a variant name or holdout' })
		.max(32, { error: 'must be a variant name or holdout' })
		.optional(),
	url: absoluteUrl.optional(),
	deviceType: name(32)
		.transform((v) => v.toLowerCase())
		.optional(),
	os: name(64)
		.transform((v) => v.toLowerCase())
		.optional(),
	country: name(2)
		.regex(/^[A-Za-z]{2}$/, { error: 'must be an ISO 3166 code of two letters, such as DE' })
		.transform((v) => v.toUpperCase())
		.optional(),
	clickedWithinHours: hours,
	notClickedWithinHours: hours,
	wave: waveName.optional(),
	notSentInWave: waveName.optional().meta({
		description:
			'Only recipients the provider accepted no message of in this wave (status=holdout&notSentInWave=Winner: the hold-out the winner send has not reached); not with wave',
	}),
	limit: pageLimit({ fallback: 100, max: 1000 }),
	cursor: z
		.string()
		.transform(byParser((value) => decodeCursor(value)))
		.optional()
		.meta({ openapi: { type: 'string', description: 'The nextCursor of the previous page' } }),
});

export const recipientsQuery = recipientFields.superRefine(checkRange);

/** What decides an A/B test: the metric, the confidence and the minimum sample per variant. */
export const winnerSettings = z.strictObject({
	metric: z.enum(['ctr', 'conversionRate'], { error: coded('invalid_metric', 'must be "ctr" or "conversionRate"') }),
	minSamplePerVariant: z
		.int()
		.min(1)
		.max(100_000_000)
		.nullish()
		.transform((v) => v ?? 100),
	confidence: z
		.number()
		.min(0.5)
		.max(0.9999)
		.nullish()
		.transform((v) => v ?? 0.95),
});

export type WinnerSettings = z.output<typeof winnerSettings>;

/** The body of POST …/winner. */
export const winnerBody = winnerSettings.extend({
	record: z
		.boolean()
		.nullish()
		.transform((v) => v ?? false)
		.meta({ description: 'Record the winner on the campaign (needs the write scope)' }),
});

export type WinnerRequest = z.output<typeof winnerBody>;
export type WinnerMetric = WinnerRequest['metric'];

const metrics = z.looseObject({
	recipients: z.number(),
	sent: z.number(),
	delivered: z.number(),
	failed: z.number(),
	views: z.number(),
	clicks: z.number(),
	uniqueClickers: z.number(),
	ctr: z.number().nullable(),
	conversions: z.number(),
	uniqueConverters: z.number(),
	conversionRate: z.number().nullable(),
	revenue: z.number(),
	cost: z.number().nullable(),
	roi: z.number().nullable(),
	segments: z.number(),
});

/** One value of a breakdown: who had a click, view or conversion of it in the range, and their rates. */
const breakdownRow = <K extends z.ZodType>(key: K) =>
	z.object({
		key,
		recipients: z.number().meta({ description: 'Recipients with a click, view or conversion of this value' }),
		clicks: z.number(),
		uniqueClickers: z.number(),
		clickRate: z.number().nullable().meta({ description: 'uniqueClickers / recipients' }),
		conversions: z.number(),
		uniqueConverters: z.number(),
		conversionRate: z.number().nullable().meta({ description: 'uniqueConverters / recipients' }),
		revenue: z.number(),
	});
const breakdown = z.array(breakdownRow(z.string().nullable()));

export const campaignStats = z.object({
	campaignId: z.string(),
	currency: z.string().nullable(),
	from: timestamp.nullable(),
	to: timestamp.nullable(),
	timeZone: z.string(),
	wave: z.string().nullable(),
	totals: metrics,
	variants: z.array(metrics.extend({ variant: z.string() })),
	waves: z.array(metrics.extend({ wave: z.string() })),
	links: z.array(
		z.object({ url: z.string(), clicks: z.number(), uniqueClickers: z.number(), views: z.number(), conversions: z.number() }),
	),
	breakdowns: z.looseObject({
		deviceType: breakdown,
		os: breakdown,
		browser: breakdown,
		country: breakdown,
		hourOfDay: z.array(breakdownRow(z.number())),
		dayOfWeek: z.array(breakdownRow(z.number())).optional(),
		link: breakdown.optional(),
		wave: breakdown.optional(),
	}),
	timelineBucket: z.enum(['hour', 'day', 'week']).nullable(),
	timeline: z.array(z.object({ bucket: z.string(), clicks: z.number(), views: z.number(), conversions: z.number() })),
	medianSecondsToFirstClick: z.number().nullable(),
	otherCurrencies: z.array(z.object({ currency: z.string(), conversions: z.number(), revenue: z.number() })),
	winner: z.string().nullable(),
});

export const recipientRow = z.object({
	recipient: z.string(),
	variant: z.string().nullable(),
	status: z.enum(recipientStatuses).nullable(),
	sentAt: timestamp.nullable(),
	delivered: z.boolean(),
	views: z.number(),
	clicks: z.number(),
	conversions: z.number(),
	revenue: z.number(),
	firstClickAt: timestamp.nullable(),
	lastClickAt: timestamp.nullable(),
	metadata: z.record(z.string(), z.unknown()).nullable(),
});

export const winnerDecision = z.object({
	metric: z.enum(['ctr', 'conversionRate']),
	confidence: z.number(),
	winner: z.string().nullable(),
	winnerText: z.string().nullable(),
	leader: z.string().nullable(),
	tied: z.array(z.string()),
	runnerUp: z.string().nullable(),
	pValue: z.number().nullable(),
	significant: z.boolean(),
	minSampleReached: z.boolean(),
	minSamplePerVariant: z.number(),
	requiredSamplePerVariant: z.number().nullable(),
	variants: z.array(
		z.object({ variant: z.string(), recipients: z.number(), successes: z.number(), rate: z.number().nullable() }),
	),
	recorded: z.boolean(),
});

export const statsSchemas = describeRoutes('Evaluations', [
	{
		method: 'get',
		path: '/campaigns/:id/stats',
		summary: "A campaign's figures: totals, variants, waves, links, breakdowns, timeline",
		scope: 'read',
		query: statsQuery,
		responses: { 200: campaignStats },
	},
	{
		method: 'get',
		path: '/campaigns/:id/recipients',
		summary: 'Recipients with their figures, filtered into a segment',
		scope: 'read',
		query: recipientsQuery,
		responses: { 200: z.object({ recipients: z.array(recipientRow), nextCursor }) },
	},
	{
		method: 'post',
		path: '/campaigns/:id/winner',
		summary: 'Decide the A/B winner (and record it with record: true, which needs write)',
		scope: 'read',
		body: winnerBody,
		bodyOptional: true,
		responses: { 200: winnerDecision },
	},
]);
