import { Router } from 'express';
import type { AppConfig } from '../config';
import { getCampaign } from '../campaigns/store';
import type { Database } from '../db';
import { recordMessages } from './store';
import { parseMessages } from './validate';

/** POST /campaigns/:id/messages: the node reports what it sent, what failed and who was held out. */
export function messageRoutes(db: Database, config: Pick<AppConfig, 'defaultCallingCode'>): Router {
	const router = Router();
	router.post('/campaigns/:id/messages', async (req, res) => {
		const messages = parseMessages(req.body, config.defaultCallingCode);
		const campaign = await getCampaign(db, req.params.id);
		res.json({ recorded: await recordMessages(db, campaign.id, messages) });
	});
	return router;
}
