import { requireScope } from '../http/auth';
import { Router } from 'express';
import { getCampaign } from '../campaigns/store';
import type { Database } from '../db';
import { parseHeaders } from '../http/schema';
import type { LiveFeed } from './feed';
import { liveHeaders } from './schemas';

/**
 * GET /campaigns/:id/live — Server-Sent Events: the campaign's clicks, views and conversions as
 * they are stored, on any instance. Behind the API key like every /api/v1 route; browsers read it
 * with fetch() so the key travels as a header (EventSource cannot send one).
 */
export function liveRoutes(db: Database, feed: LiveFeed): Router {
	const router = Router();
	router.get('/campaigns/:id/live', requireScope('read'), async (req, res) => {
		const lastEventId = parseHeaders(liveHeaders, req)['last-event-id'];
		const campaign = await getCampaign(db, req.params.id);
		await feed.open(res, campaign.id, lastEventId);
	});
	return router;
}
