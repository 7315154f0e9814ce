import { Router } from 'express';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { badRequest } from '../http/errors';
import { getCampaign } from '../campaigns/store';
import { parseCampaignQuery } from '../campaigns/validate';
import { campaignStats } from '../stats/campaign-stats';
import { foldCampaign } from '../stats/rollup-folder';
import { parseRecipientsQuery } from '../stats/segment';
import { campaignKpis } from './campaign-kpis';
import { startCsv } from './csv';
import { streamRows } from './cursor-stream';
import { eventLines, eventsCsvSql, eventsHeader } from './events-csv';
import { parseExportRange, rangeName } from './params';
import { recipientLine, recipientsCsvSql, recipientsHeader } from './recipients-csv';
import { statsCsv } from './stats-csv';

/** Recipient filters a CSV takes (those of GET …/recipients without its page). */
const recipientFilters = [
	'status',
	'holdout',
	'clicked',
	'viewed',
	'converted',
	'variant',
	'url',
	'deviceType',
	'os',
	'country',
	'clickedWithinHours',
	'notClickedWithinHours',
];

/**
 * Reports: the campaign list with KPIs and the CSV downloads. Mounted before the campaign routes
 * (GET /campaigns/kpis is not a campaign id). Every input is checked, and the campaign looked up,
 * before the first byte is written: a bad request gets a JSON error, never half a file.
 */
export function reportRoutes(db: Database): Router {
	const router = Router();

	router.get('/campaigns/kpis', requireScope('read'), async (req, res) => {
		res.json(await campaignKpis(db, parseCampaignQuery(req.query as Record<string, unknown>)));
	});

	router.get('/campaigns/:id/stats.csv', requireScope('read'), async (req, res) => {
		const range = parseExportRange(req.query as Record<string, unknown>, ['wave']);
		const wave = req.query.wave;
		const campaign = await getCampaign(db, req.params.id);
		const stats = await campaignStats(db, campaign, {
			...range,
			...(typeof wave === 'string' && wave !== '' ? { wave } : {}),
		});
		startCsv(res, `${campaign.id}-stats-${rangeName(range)}.csv`);
		res.end(statsCsv(stats));
	});

	router.get('/campaigns/:id/events.csv', requireScope('read'), async (req, res) => {
		const range = parseExportRange(req.query as Record<string, unknown>);
		const campaign = await getCampaign(db, req.params.id);
		startCsv(res, `${campaign.id}-events-${rangeName(range)}.csv`);
		res.write(eventsHeader);
		await streamRows(db, res, eventsCsvSql(campaign.id, range), eventLines(range.timeZone));
		res.end();
	});

	router.get('/campaigns/:id/recipients.csv', requireScope('read'), async (req, res) => {
		const query = req.query as Record<string, unknown>;
		const range = parseExportRange(
			Object.fromEntries(Object.entries(query).filter(([k]) => !recipientFilters.includes(k))),
		);
		if (query.from !== undefined || query.to !== undefined)
			throw badRequest('recipients.csv holds whole-campaign counts per recipient; from and to are not taken');
		const segment = parseRecipientsQuery(
			Object.fromEntries(Object.entries(query).filter(([k]) => recipientFilters.includes(k))),
		);
		const campaign = await getCampaign(db, req.params.id);
		await foldCampaign(db, campaign.id);
		startCsv(res, `${campaign.id}-recipients.csv`);
		res.write(recipientsHeader);
		await streamRows(db, res, recipientsCsvSql(campaign.id, segment, range), recipientLine);
		res.end();
	});

	return router;
}
