import { z } from 'zod';
import { describeRoutes } from '../http/route-schema';
import { coded } from '../http/schema';

/** Headers are read loosely: a request carries many more than these. */
export const liveHeaders = z.object({
	'last-event-id': z
		.string()
		.trim()
		.refine((id) => id === '' || /^\d{1,18}$/.test(id), {
			error: coded('invalid_last_event_id', 'must be the id of an event this stream sent'),
		})
		.transform((id) => id || undefined)
		.optional()
		.meta({ description: 'Resume after this event (what a reconnecting EventSource sends)' }),
});

export const liveSchemas = describeRoutes('Live', [
	{
		method: 'get',
		path: '/campaigns/:id/live',
		summary: "Server-Sent Events: the campaign's clicks, views and conversions as they are stored",
		description:
			'At most LIVE_MAX_CONNECTIONS streams per instance: past it, 503 with Retry-After.',
		scope: 'read',
		headers: liveHeaders,
		responses: {
			200: {
				contentType: 'text/event-stream',
				schema: z.string().meta({ description: 'event: events / data: a JSON array of feed entries; id: the last event id' }),
			},
		},
	},
]);
