import { Router } from 'express';
import { getCampaign } from '../campaigns/store';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { parseBody, parseQuery } from '../http/schema';
import { releaseSendLockQuery, takeSendLockBody } from './schemas';
import { releaseSendLock, takeSendLock } from './store';

/**
 * /api/v1/campaigns/:id/send-locks: one sender of a campaign's wave at a time
 * (docs/api.md#send-locks). Send → Winning Variant → Hold-Out takes the wave's lock before it reads
 * whom the wave has not reached and gives it back when done.
 */
export function sendLockRoutes(db: Database): Router {
	const router = Router();

	router.post('/campaigns/:id/send-locks', requireScope('write'), async (req, res) => {
		const { wave, holder, leaseSeconds } = parseBody(takeSendLockBody, req);
		const campaign = await getCampaign(db, req.params.id);
		res.status(201).json(await takeSendLock(db, campaign.id, wave, holder, leaseSeconds));
	});

	router.delete('/campaigns/:id/send-locks/:wave', requireScope('write'), async (req, res) => {
		const { holder } = parseQuery(releaseSendLockQuery, req);
		const campaign = await getCampaign(db, req.params.id);
		await releaseSendLock(db, campaign.id, req.params.wave, holder);
		res.status(204).end();
	});

	return router;
}
