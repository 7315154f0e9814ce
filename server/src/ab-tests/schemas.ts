import { z } from 'zod';
import { timestamp } from '../http/common-schemas';
import { atDeadlineChoices, decideWhen } from './rule';

/** A stored rule as the API answers it (the request's, with defaults filled and times in UTC). */
export const abTestRule = z.object({
	metric: z.enum(['ctr', 'conversionRate']),
	confidence: z.number(),
	minSamplePerVariant: z.int(),
	decide: z.enum(decideWhen),
	decideAfterHours: z.number().optional(),
	decideAt: timestamp.optional(),
	deadlineAfterHours: z.number().optional(),
	deadlineAt: timestamp.optional(),
	atDeadline: z.enum(atDeadlineChoices),
});

const variantRate = z.object({
	variant: z.string(),
	recipients: z.int().meta({ description: "The test's sample: recipients sent to" }),
	successes: z.int(),
	rate: z.number().nullable(),
});

/**
 * A concluded A/B test as the campaign keeps it (abTestResult) and the `winner` event reports it:
 * the winner's name and text (both null for a tie), how it was decided, the numbers it was decided
 * on, and how many recipients wait in the hold-out for the winner.
 */
export const winnerReport = z.object({
	variant: z.string().nullable(),
	text: z.string().nullable(),
	tie: z.boolean(),
	tied: z.array(z.string()).meta({ description: 'The variants that share the best rate (a tie), else empty' }),
	decidedBy: z.enum(['significance', 'deadline']),
	significant: z.boolean(),
	pValue: z.number().nullable(),
	metric: z.enum(['ctr', 'conversionRate']),
	confidence: z.number(),
	minSamplePerVariant: z.int(),
	variants: z.array(variantRate),
	holdoutRecipients: z.int(),
	decidedAt: timestamp,
});
