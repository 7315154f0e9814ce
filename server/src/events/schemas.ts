import { winnerReport } from '../ab-tests/schemas';
import { z } from 'zod';
import { nextCursor, pageLimit, queryInstant, queryText, timestamp } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { coded } from '../http/schema';
import { commaList } from '../shared/comma-list';
import { waveName } from '../shared/waves';
import { eventTypes, type EventType } from './types';

const typesMessage = `must be one or more of ${eventTypes.join(', ')}, comma-separated`;

export const eventsQuery = z
	.strictObject({
		type: z
			.string()
			.transform((value, ctx) => {
				const types = commaList(value);
				const unknown = types.find((type) => !(eventTypes as readonly string[]).includes(type));
				if (types.length === 0 || unknown !== undefined) {
					ctx.addIssue({ code: 'custom', message: unknown ? `${typesMessage}; got "${unknown.slice(0, 32)}"` : typesMessage });
					return z.NEVER;
				}
				return types as EventType[];
			})
			.optional()
			.meta({ description: `One or more of ${eventTypes.join(', ')}, comma-separated` }),
		recipient: queryText(64).optional().meta({ description: 'A phone number' }),
		wave: waveName.optional(),
		from: queryInstant.optional(),
		to: queryInstant.optional(),
		limit: pageLimit({ fallback: 100, max: 1000 }),
		cursor: z
			.string()
			.regex(/^\d{1,18}$/, coded('invalid_cursor', 'must be the nextCursor of a previous page'))
			.optional(),
	})
	.refine((q) => !(q.from && q.to && q.from >= q.to), { message: 'must be before to', path: ['from'] });

export const eventView = z.object({
	id: z.string(),
	type: z.enum(eventTypes),
	occurredAt: timestamp,
	code: z.string().nullable(),
	recipient: z.string().nullable(),
	variant: z.string().nullable(),
	wave: z.string().nullable().meta({ description: "The send wave of the event's link or message" }),
	url: z.string().nullable(),
	clickId: z.string().nullable(),
	device: z.object({ type: z.string().nullable(), os: z.string().nullable(), browser: z.string().nullable() }),
	country: z.string().nullable(),
	conversion: z
		.object({ name: z.string().nullable(), value: z.number().nullable(), currency: z.string().nullable() })
		.optional(),
	winner: winnerReport.optional().meta({ description: "A winner event's A/B test decision (the campaign's abTestResult)" }),
	recipientMetadata: z.record(z.string(), z.unknown()).nullable(),
});

export const eventSchemas = describeRoutes('Events', [
	{
		method: 'get',
		path: '/campaigns/:id/events',
		summary: "A campaign's raw events, oldest first",
		scope: 'read',
		query: eventsQuery,
		responses: { 200: z.object({ events: z.array(eventView), nextCursor }) },
	},
]);
