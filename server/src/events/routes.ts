import { Router } from 'express';
import type { Database } from '../db';
import { getCampaign } from '../campaigns/store';
import { badRequest } from '../http/errors';
import { commaList } from '../shared/comma-list';
import { parsePageLimit } from '../shared/pagination';
import { optionalWave } from '../shared/waves';
import { listEvents } from './list';
import { eventTypes, type EventType } from './types';

function parseTypes(value: unknown): EventType[] | undefined {
	if (value === undefined || value === '') return undefined;
	const types = typeof value === 'string' ? commaList(value) : [];
	if (types.length === 0)
		throw badRequest('type must be one or more of ' + eventTypes.join(', ') + ', comma-separated');
	for (const type of types) {
		if (!(eventTypes as readonly string[]).includes(type)) {
			throw badRequest(
				`type must be one or more of ${eventTypes.join(', ')}, comma-separated; got "${type.slice(0, 32)}"`,
			);
		}
	}
	return types as EventType[];
}

function parseCursor(value: unknown): string | undefined {
	if (value === undefined || value === '') return undefined;
	if (typeof value !== 'string' || !/^\d{1,18}$/.test(value))
		throw badRequest('cursor must be the nextCursor of a previous page', 'invalid_cursor');
	return value;
}

/** GET /campaigns/:id/events?type=click,view&wave=…&limit=100&cursor=… — the raw events, oldest first. */
export function eventRoutes(db: Database): Router {
	const router = Router();
	router.get('/campaigns/:id/events', async (req, res) => {
		const types = parseTypes(req.query.type);
		const limit = parsePageLimit(req.query.limit, { fallback: 100, max: 1000 });
		const after = parseCursor(req.query.cursor);
		const wave = optionalWave(req.query.wave === '' ? undefined : req.query.wave);
		const campaign = await getCampaign(db, req.params.id);
		res.json(await listEvents(db, campaign.id, { types, wave, limit, after }));
	});
	return router;
}
