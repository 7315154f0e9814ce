import { requireScope } from '../http/auth';
import { Router } from 'express';
import { getCampaign } from '../campaigns/store';
import type { Database } from '../db';
import { badRequest } from '../http/errors';
import type { LiveFeed } from './feed';

function parseLastEventId(value: unknown): string | undefined {
	if (value === undefined || value === '') return undefined;
	if (typeof value !== 'string' || !/^\d{1,18}$/.test(value.trim()))
		throw badRequest(
			'Last-Event-ID must be the id of an event this stream sent',
			'invalid_last_event_id',
		);
	return value.trim();
}

/**
 * GET /campaigns/:id/live — Server-Sent Events: the campaign's clicks, views and conversions as
 * they are stored, on any instance. Behind the API key like every /api/v1 route; browsers read it
 * with fetch() so the key travels as a header (EventSource cannot send one).
 */
export function liveRoutes(db: Database, feed: LiveFeed): Router {
	const router = Router();
	router.get('/campaigns/:id/live', requireScope('read'), async (req, res) => {
		const lastEventId = parseLastEventId(req.headers['last-event-id']);
		const campaign = await getCampaign(db, req.params.id);
		await feed.open(res, campaign.id, lastEventId);
	});
	return router;
}
