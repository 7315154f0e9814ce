import { Router } from 'express';
import type { Database } from '../db';
import { assertScope, requireScope } from '../http/auth';
import { getCampaign } from '../campaigns/store';
import { campaignStats } from './campaign-stats';
import { parseBody, parseQuery } from '../http/schema';
import { statsQuery, winnerBody } from './schemas';
import { parseRecipientsQuery } from './segment';
import { listRecipients } from './recipients';
import { chooseWinner } from './winner';

/** Evaluations: GET …/stats, GET …/recipients, POST …/winner. */
export function statsRoutes(db: Database): Router {
	const router = Router();

	router.get('/campaigns/:id/stats', requireScope('read'), async (req, res) => {
		const query = parseQuery(statsQuery, req);
		const campaign = await getCampaign(db, req.params.id);
		res.json(await campaignStats(db, campaign, query));
	});

	router.get('/campaigns/:id/recipients', requireScope('read'), async (req, res) => {
		const query = parseRecipientsQuery(req.query);
		const campaign = await getCampaign(db, req.params.id);
		res.json(await listRecipients(db, campaign, query));
	});

	// Deciding only reads; recording the winner on the campaign (record: true) changes it.
	router.post('/campaigns/:id/winner', requireScope('read'), async (req, res) => {
		const request = parseBody(winnerBody, req);
		if (request.record) assertScope(res, 'write');
		const campaign = await getCampaign(db, req.params.id);
		res.json(await chooseWinner(db, campaign, request));
	});

	return router;
}
