import { z } from 'zod';
import { abTestRuleInput } from '../ab-tests/rule';
import { abTestRule, winnerReport } from '../ab-tests/schemas';
import {
	currencyCode,
	nextCursor,
	optionalText,
	pageLimit,
	queryText,
	requestDateTime,
	requiredText,
	timestamp,
} from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { coded } from '../http/schema';
import { absoluteUrl } from '../shared/url-schema';
import { campaignStatuses, holdoutVariant } from './types';

export const maxVariants = 4;
const maxHoldout = 0.95;
const utmKeys = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/** UTM parameters the redirect merges into every destination of the campaign. */
const utm = z
	.strictObject(Object.fromEntries(utmKeys.map((key) => [key, optionalText(100)])) as Record<(typeof utmKeys)[number], ReturnType<typeof optionalText>>)
	.transform((given) => {
		const set = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
		return Object.keys(set).length ? (set as Partial<Record<(typeof utmKeys)[number], string>>) : undefined;
	});

const variantsMessage = `must be an array of 2 to ${maxVariants} variants`;

/** One arm of an A/B test: its name, its share of the recipients (relative weight) and what it sends. */
const variant = z.strictObject({
	name: requiredText(32).refine((name) => /^[A-Za-z0-9_-]+$/.test(name) && name !== holdoutVariant, {
		error: `must be letters, digits, - or _ and not "${holdoutVariant}"`,
	}),
	weight: z
		.number()
		.min(0.0001)
		.max(1_000_000)
		.nullish()
		.transform((weight) => weight ?? 1),
	text: z
		.string({ error: 'must be a string' })
		.max(1600, { error: 'must be at most 1600 characters' })
		.nullish()
		.transform((text) => text ?? undefined)
		.meta({ description: 'What the variant sends (ten SMS segments at most); not part of the split' }),
});

const variants = z
	.array(variant, { error: (issue) => (issue.input === undefined ? 'is required' : variantsMessage) })
	.min(2, { error: variantsMessage })
	.max(maxVariants, { error: variantsMessage })
	.superRefine((list, ctx) => {
		const seen = new Set<string>();
		list.forEach((v, i) => {
			if (seen.has(v.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${v.name}" is used twice` });
			seen.add(v.name);
		});
	})
	.transform((list) => list.map(({ text, ...v }) => (text === undefined ? v : { ...v, text })));

const holdout = z.number().min(0).max(maxHoldout).meta({ description: 'The share kept back from the A/B test' });
const costPerSegment = z.number().min(0).max(1000);

/** The body of PUT /campaigns/:id/variants. */
export const variantSplitBody = z.strictObject({
	variants,
	holdout: holdout.nullish().transform((v) => v ?? 0),
});

export const newCampaignBody = z
	.strictObject({
		name: requiredText(200),
		conversionTracking: z
			.boolean()
			.nullish()
			.transform((v) => v ?? false),
		fallbackUrl: absoluteUrl.nullish().transform((v) => v ?? undefined),
		utm: utm.nullish().transform((v) => v ?? undefined),
		variants: variants.nullish().transform((v) => v ?? undefined),
		holdout: holdout.nullish().transform((v) => v ?? 0),
		costPerSegment: costPerSegment.nullish().transform((v) => v ?? undefined),
		currency: currencyCode.nullish().transform((v) => v ?? undefined),
		abTestRule: abTestRuleInput.nullish().transform((v) => v ?? undefined),
		ifNameExists: z
			.enum(['return', 'fail'], { error: 'must be "return" or "fail"' })
			.nullish()
			.transform((v) => v ?? undefined)
			.meta({ description: 'An existing campaign of the same name: return it, or fail (409); absent: create another' }),
	})
	.superRefine((c, ctx) => {
		if (c.abTestRule && !c.variants)
			ctx.addIssue({
				code: 'custom',
				path: ['abTestRule'],
				message: coded('no_ab_test', 'needs an A/B test: give variants too (or set the rule once the variants are stored)'),
			});
		if (c.holdout > 0 && !c.variants)
			ctx.addIssue({ code: 'custom', path: ['holdout'], message: 'needs variants: it is the share kept back from an A/B test' });
		if (c.costPerSegment !== undefined && !c.currency)
			ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required with costPerSegment' });
	});

const changeFields = ['name', 'conversionTracking', 'fallbackUrl', 'utm', 'costPerSegment', 'currency', 'variants', 'holdout', 'abTestRule'] as const;

/** The body of PATCH /campaigns/:id: only the fields given change; null clears an optional one. */
export const campaignChangesBody = z
	.strictObject({
		name: requiredText(200).optional(),
		conversionTracking: z.boolean().optional(),
		fallbackUrl: absoluteUrl.nullable().optional(),
		utm: utm
			.nullable()
			.optional()
			.transform((v) => (v === undefined ? undefined : (v ?? null))),
		costPerSegment: costPerSegment.nullable().optional(),
		currency: currencyCode.nullable().optional(),
		variants: variants.optional(),
		holdout: holdout.nullable().optional(),
		abTestRule: abTestRuleInput.nullable().optional().meta({ description: 'null removes the rule (only before it decided)' }),
	})
	.superRefine((c, ctx) => {
		if (!changeFields.some((key) => c[key] !== undefined))
			ctx.addIssue({ code: 'custom', path: [], message: `names nothing to change (one of ${changeFields.join(', ')})` });
		else if (c.holdout !== undefined && c.variants === undefined)
			ctx.addIssue({ code: 'custom', path: ['variants'], message: 'is required' });
	})
	// A split is variants and hold-out together: with variants, an absent hold-out is 0.
	.transform(({ holdout: share, ...c }) => ({
		...c,
		holdout: c.variants === undefined ? undefined : (share ?? 0),
	}));

/** The query of GET /campaigns: one page, newest first, after the cursor (the last id of the previous page). */
export const campaignQuery = z
	.strictObject({
		limit: pageLimit({ fallback: 50, max: 500 }),
		cursor: queryText(100).optional(),
		search: queryText(200)
			.transform((text) => text.trim() || undefined)
			.optional()
			.meta({ description: 'Part of the name, any case' }),
		status: z.enum(campaignStatuses).default('active'),
		createdFrom: requestDateTime.optional(),
		createdTo: requestDateTime.optional(),
	})
	.refine((q) => !(q.createdFrom && q.createdTo && q.createdFrom > q.createdTo), {
		path: ['createdFrom'],
		message: 'must not be after createdTo',
	});

export const deleteQuery = z.strictObject({
	confirm: z.literal('true', {
		error: coded(
			'confirmation_required',
			'must be true: deleting a campaign deletes its links, messages, events and stats; add ?confirm=true to do so',
		),
	}),
});

const variantOut = z.object({ name: z.string(), weight: z.number(), text: z.string().optional() });

/** The campaign as the API shows it. */
export const campaign = z.object({
	id: z.string(),
	name: z.string(),
	conversionTracking: z.boolean(),
	fallbackUrl: z.string().nullable(),
	utm: z.partialRecord(z.enum(utmKeys), z.string()).nullable(),
	variants: z.array(variantOut).nullable(),
	holdout: z.number(),
	costPerSegment: z.number().nullable(),
	currency: z.string().nullable(),
	winner: z.string().nullable(),
	abTestRule: abTestRule.nullable().meta({ description: 'How the server concludes the A/B test by itself; null: only by hand (Pick Winner)' }),
	abTestResult: winnerReport.nullable().meta({ description: 'What the rule decided, once it did; null before' }),
	createdAt: timestamp,
	archivedAt: timestamp.nullable().meta({ description: 'When the campaign was archived; null: active' }),
});

export const campaignSchemas = describeRoutes('Campaigns', [
	{
		method: 'post',
		path: '/campaigns',
		summary: 'Create a campaign (or return the one of that name, with ifNameExists)',
		scope: 'write',
		body: newCampaignBody,
		responses: { 201: campaign, 200: campaign },
	},
	{
		method: 'get',
		path: '/campaigns',
		summary: 'List campaigns, newest first',
		scope: 'read',
		query: campaignQuery,
		responses: { 200: z.object({ campaigns: z.array(campaign), nextCursor }) },
	},
	{ method: 'get', path: '/campaigns/:id', summary: 'One campaign', scope: 'read', responses: { 200: campaign } },
	{
		method: 'patch',
		path: '/campaigns/:id',
		summary: 'Change a campaign (only the fields given)',
		scope: 'write',
		body: campaignChangesBody,
		responses: { 200: campaign },
	},
	{
		method: 'post',
		path: '/campaigns/:id/archive',
		summary: 'Archive a campaign (hidden from lists; its links keep redirecting); takes no body',
		scope: 'write',
		responses: { 200: campaign },
	},
	{
		method: 'post',
		path: '/campaigns/:id/unarchive',
		summary: 'Bring an archived campaign back; takes no body',
		scope: 'write',
		responses: { 200: campaign },
	},
	{
		method: 'delete',
		path: '/campaigns/:id',
		summary: 'Delete a campaign with its links, messages, events and stats',
		scope: 'write',
		query: deleteQuery,
		responses: {
			200: z.object({ deleted: z.literal(true), id: z.string(), links: z.int(), messages: z.int(), events: z.int() }),
		},
	},
	{
		method: 'put',
		path: '/campaigns/:id/variants',
		summary: "Set a campaign's A/B split",
		scope: 'write',
		body: variantSplitBody,
		responses: { 200: campaign },
	},
]);
