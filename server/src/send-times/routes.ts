import { requireScope } from '../http/auth';
import { Router } from 'express';
import { getCampaign } from '../campaigns/store';
import type { Database } from '../db';
import { computeSendTimes } from './best-hours';
import { parseSendTimesRequest } from './validate';

/** POST /send-times: each recipient's best hour of day to receive an SMS (docs/api.md). */
export function sendTimeRoutes(db: Database, config: { defaultCallingCode?: string }): Router {
	const router = Router();
	router.post('/send-times', requireScope('read'), async (req, res) => {
		const request = parseSendTimesRequest(req.body, config.defaultCallingCode);
		if (request.campaignId) await getCampaign(db, request.campaignId);
		res.json(await computeSendTimes(db, request));
	});
	return router;
}
