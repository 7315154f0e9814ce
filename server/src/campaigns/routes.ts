import { Router } from 'express';
import type { Database } from '../db';
import { parsePageLimit } from '../shared/pagination';
import { createCampaign, getCampaign, listCampaigns, setVariants } from './store';
import { parseNewCampaign, parseVariantSplit } from './validate';

export function campaignRoutes(db: Database): Router {
	const router = Router();

	router.post('/campaigns', async (req, res) => {
		const input = parseNewCampaign(req.body);
		res.status(201).json(await createCampaign(db, input));
	});

	router.get('/campaigns', async (req, res) => {
		const limit = parsePageLimit(req.query.limit, { fallback: 50, max: 500 });
		const before = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
		const campaigns = await listCampaigns(db, limit, before);
		res.json({ campaigns, nextCursor: campaigns.length === limit ? campaigns[campaigns.length - 1].id : null });
	});

	router.get('/campaigns/:id', async (req, res) => {
		res.json(await getCampaign(db, req.params.id));
	});

	router.put('/campaigns/:id/variants', async (req, res) => {
		const { variants, holdout } = parseVariantSplit(req.body);
		res.json(await setVariants(db, req.params.id, variants, holdout));
	});

	return router;
}
