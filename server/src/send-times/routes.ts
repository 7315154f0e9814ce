import { requireScope } from '../http/auth';
import { Router } from 'express';
import { getCampaign } from '../campaigns/store';
import type { Database } from '../db';
import { parseBody } from '../http/schema';
import { normalisePhone } from '../shared/phone';
import { computeSendTimes } from './best-hours';
import { sendTimesBody } from './schemas';

/** POST /send-times: each recipient's best hour of day to receive an SMS (docs/api.md). */
export function sendTimeRoutes(db: Database, config: { defaultCallingCode?: string }): Router {
	const router = Router();
	router.post('/send-times', requireScope('read'), async (req, res) => {
		const body = parseBody(sendTimesBody, req);
		const recipients = body.recipients.map((r, i) => normalisePhone(r, config.defaultCallingCode, `recipients[${i}]`));
		if (body.campaignId) await getCampaign(db, body.campaignId);
		res.json(await computeSendTimes(db, { ...body, recipients }));
	});
	return router;
}
