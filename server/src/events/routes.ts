import { Router } from 'express';
import type { AppConfig } from '../config';
import type { Database } from '../db';
import { getCampaign } from '../campaigns/store';
import { requireScope } from '../http/auth';
import { parseQuery } from '../http/schema';
import { normalisePhone } from '../shared/phone';
import { listEvents } from './list';
import { eventsQuery } from './schemas';

/**
 * GET /campaigns/:id/events?type=click,view&recipient=…&wave=…&from=…&to=…&limit=100&cursor=… — the raw
 * events, oldest first.
 */
export function eventRoutes(db: Database, config: Pick<AppConfig, 'defaultCallingCode'>): Router {
	const router = Router();
	router.get('/campaigns/:id/events', requireScope('read'), async (req, res) => {
		const { type, recipient, cursor, ...query } = parseQuery(eventsQuery, req);
		const phone = recipient === undefined ? undefined : normalisePhone(recipient, config.defaultCallingCode, 'recipient');
		const campaign = await getCampaign(db, req.params.id);
		res.json(await listEvents(db, campaign.id, { ...query, types: type, after: cursor, recipient: phone }));
	});
	return router;
}
