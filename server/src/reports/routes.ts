import { Router, type Response } from 'express';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { getCampaign } from '../campaigns/store';
import { parseQuery } from '../http/schema';
import { campaignStats } from '../stats/campaign-stats';
import { foldCampaign } from '../stats/rollup-folder';
import { statsQuery } from '../stats/schemas';
import { parseRecipientsQuery } from '../stats/segment';
import { campaignKpis } from './campaign-kpis';
import { responseSink, startCsv } from './csv';
import { eventsCsvSql, eventsHeader } from './events-csv';
import { kpisQuery, recipientsCsvQuery } from './schemas';
import { recipientsCsvSql, recipientsHeader } from './recipients-csv';
import { statsCsv } from './stats-csv';

/** Range and recipient filters a CSV takes (those of GET …/recipients without its page). */
const recipientFilters = [
	'from',
	'to',
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

/** The part of a file name that names the range: 2026-11-20_2026-11-27, or "all". */
const rangeName = (q: { from: Date | null; to: Date | null }) =>
	q.from || q.to
		? `${q.from?.toISOString().slice(0, 10) ?? 'start'}_${q.to?.toISOString().slice(0, 10) ?? 'now'}`
		: 'all';

/**
 * Streams a statement's rows as CSV written by PostgreSQL (COPY), at the pace the client reads.
 * Headers are out by then: a failure cuts the transfer, so no half file looks whole.
 */
async function copyToResponse(
	db: Database,
	res: Response,
	sql: { text: string; params: unknown[]; timeZone: string },
) {
	let clientGone = false;
	res.once('close', () => (clientGone = !res.writableFinished));
	try {
		await db.copyCsv(sql.text, sql.params, responseSink(res), sql.timeZone);
		res.end();
	} catch (err) {
		if (clientGone) return; // the client stopped reading: nothing went wrong here
		res.destroy();
		throw err;
	}
}

/**
 * Reports: the campaign list with KPIs and the CSV downloads. Mounted before the campaign routes
 * (GET /campaigns/kpis is not a campaign id). Every input is checked, and the campaign looked up,
 * before the first byte is written: a bad request gets a JSON error, never half a file.
 */
export function reportRoutes(db: Database): Router {
	const router = Router();

	router.get('/campaigns/kpis', requireScope('read'), async (req, res) => {
		res.json(await campaignKpis(db, parseQuery(kpisQuery, req)));
	});

	router.get('/campaigns/:id/stats.csv', requireScope('read'), async (req, res) => {
		const range = parseQuery(statsQuery, req);
		const campaign = await getCampaign(db, req.params.id);
		const stats = await campaignStats(db, campaign, range);
		startCsv(res, `${campaign.id}-stats-${rangeName(range)}.csv`);
		res.end(statsCsv(stats));
	});

	router.get('/campaigns/:id/events.csv', requireScope('read'), async (req, res) => {
		const range = parseQuery(statsQuery, req);
		const campaign = await getCampaign(db, req.params.id);
		startCsv(res, `${campaign.id}-events-${rangeName(range)}.csv`);
		res.write(eventsHeader);
		await copyToResponse(db, res, eventsCsvSql(campaign.id, range));
	});

	router.get('/campaigns/:id/recipients.csv', requireScope('read'), async (req, res) => {
		const { timeZone } = parseQuery(recipientsCsvQuery, req); // refuses wave, limit, cursor and anything unknown
		const query = req.query as Record<string, unknown>;
		const segment = parseRecipientsQuery(
			Object.fromEntries(Object.entries(query).filter(([k]) => recipientFilters.includes(k))),
		);
		const campaign = await getCampaign(db, req.params.id);
		await foldCampaign(db, campaign.id);
		startCsv(res, `${campaign.id}-recipients-${rangeName(segment)}.csv`);
		res.write(recipientsHeader);
		await copyToResponse(db, res, recipientsCsvSql(campaign.id, segment, { timeZone }));
	});

	return router;
}
