import { Router } from 'express';
import type { Database } from '../db';
import { getCampaign } from '../campaigns/store';
import { campaignStats } from './campaign-stats';
import { parseStatsQuery, parseWinnerRequest } from './params';
import { parseRecipientsQuery } from './segment';
import { listRecipients } from './recipients';
import { chooseWinner } from './winner';

/** Evaluations: GET …/stats, GET …/recipients, POST …/winner. */
export function statsRoutes(db: Database): Router {
	const router = Router();

	router.get('/campaigns/:id/stats', async (req, res) => {
		const query = parseStatsQuery(req.query);
		const campaign = await getCampaign(db, req.params.id);
		res.json(await campaignStats(db, campaign, query));
	});

	router.get('/campaigns/:id/recipients', async (req, res) => {
		const query = parseRecipientsQuery(req.query);
		const campaign = await getCampaign(db, req.params.id);
		res.json(await listRecipients(db, campaign, query));
	});

	router.post('/campaigns/:id/winner', async (req, res) => {
		const request = parseWinnerRequest(req.body);
		const campaign = await getCampaign(db, req.params.id);
		res.json(await chooseWinner(db, campaign, request));
	});

	return router;
}
