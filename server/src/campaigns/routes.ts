import { Router } from 'express';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { badRequest } from '../http/errors';
import { parseBody, parseQuery } from '../http/schema';
import { campaignChangesBody, campaignQuery, deleteQuery, newCampaignBody, variantSplitBody } from './schemas';
import {
	createOrFindCampaign,
	deleteCampaign,
	getCampaign,
	listCampaigns,
	setArchived,
	setVariants,
	updateCampaign,
} from './store';

/**
 * `linksChanged` tells the redirect that cached links may now answer differently (an Update of
 * the fallback, UTM or conversion tracking; a Delete), so it reads them again at the next click.
 */
export function campaignRoutes(db: Database, linksChanged: () => void = () => undefined): Router {
	const router = Router();

	router.post('/campaigns', requireScope('write'), async (req, res) => {
		const { ifNameExists, ...input } = parseBody(newCampaignBody, req);
		const { campaign, created } = await createOrFindCampaign(db, input, ifNameExists);
		res.status(created ? 201 : 200).json(campaign);
	});

	router.get('/campaigns', requireScope('read'), async (req, res) => {
		const query = parseQuery(campaignQuery, req);
		const campaigns = await listCampaigns(db, query);
		const last = campaigns.length === query.limit ? campaigns[campaigns.length - 1] : undefined;
		res.json({ campaigns, nextCursor: last ? last.id : null });
	});

	router.get('/campaigns/:id', requireScope('read'), async (req, res) => {
		res.json(await getCampaign(db, req.params.id));
	});

	router.patch('/campaigns/:id', requireScope('write'), async (req, res) => {
		const campaign = await updateCampaign(db, req.params.id, parseBody(campaignChangesBody, req));
		linksChanged();
		res.json(campaign);
	});

	for (const [action, archived] of [
		['archive', true],
		['unarchive', false],
	] as const) {
		router.post(`/campaigns/:id/${action}`, requireScope('write'), async (req, res) => {
			if (req.body !== undefined && Object.keys(req.body as object).length) {
				throw badRequest(`POST /campaigns/:id/${action} takes no body`);
			}
			res.json(await setArchived(db, req.params.id, archived));
		});
	}

	// Deleting takes every link, event and stat of the campaign: the caller says so explicitly.
	router.delete('/campaigns/:id', requireScope('write'), async (req, res) => {
		parseQuery(deleteQuery, req);
		const deleted = await deleteCampaign(db, req.params.id);
		linksChanged();
		res.json({ deleted: true, ...deleted });
	});

	router.put('/campaigns/:id/variants', requireScope('write'), async (req, res) => {
		const { variants, holdout } = parseBody(variantSplitBody, req);
		res.json(await setVariants(db, req.params.id, variants, holdout));
	});

	return router;
}
