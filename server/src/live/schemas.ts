import { z } from 'zod';
import { describeRoutes } from '../http/route-schema';

export const liveSchemas = describeRoutes('Live', [
	{
		method: 'get',
		path: '/campaigns/:id/live',
		summary: "Server-Sent Events: the campaign's clicks, views and conversions as they are stored",
		description:
			'Send Last-Event-ID to resume after a reconnect. At most LIVE_MAX_CONNECTIONS streams per instance: past it, 503 with Retry-After.',
		scope: 'read',
		responses: {
			200: {
				contentType: 'text/event-stream',
				schema: z.string().meta({ description: 'event: events / data: a JSON array of feed entries; id: the last event id' }),
			},
		},
	},
]);
