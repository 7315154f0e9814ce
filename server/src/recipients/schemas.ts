import { z } from 'zod';
import { timestamp } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';

/** What an erasure removed or pseudonymised; counts are zero and ids null when nothing was stored. */
export const erasureResult = z.object({
	erasureId: z.string().nullable(),
	erasedAt: timestamp.nullable(),
	campaigns: z.int(),
	links: z.int(),
	messages: z.int(),
	events: z.int(),
	metadata: z.int(),
	deliveriesCancelled: z.int(),
	optOutKept: z.boolean(),
});

export const recipientSchemas = describeRoutes('Recipients', [
	{
		method: 'delete',
		path: '/recipients/:phone',
		summary: "Erase a person from every campaign (figures unchanged, an audit line kept without the number)",
		description:
			'The phone number is normalised as everywhere else (DEFAULT_CALLING_CODE for national numbers). A number nothing is stored about answers 200 with zero counts and changes nothing.',
		scope: 'write',
		responses: { 200: erasureResult },
	},
]);
