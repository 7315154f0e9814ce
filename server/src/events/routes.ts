import { Router } from 'express';
import type { Database } from '../db';
import { getCampaign } from '../campaigns/store';
import { badRequest } from '../http/errors';
import { listEvents } from './list';
import { eventTypes, type EventType } from './types';

const maxLimit = 1000;

function parseTypes(value: unknown): EventType[] | undefined {
	if (value === undefined || value === '') return undefined;
	if (typeof value !== 'string')
		throw badRequest('type must be one or more of ' + eventTypes.join(', ') + ', comma-separated');
	const types = value.split(',').map((t) => t.trim());
	for (const type of types) {
		if (!(eventTypes as readonly string[]).includes(type)) {
			throw badRequest(
				`type must be one or more of ${eventTypes.join(', ')}, comma-separated; got "${type.slice(0, 32)}"`,
			);
		}
	}
	return types as EventType[];
}

function parseLimit(value: unknown): number {
	if (value === undefined || value === '') return 100;
	if (
		typeof value !== 'string' ||
		!/^\d+$/.test(value) ||
		Number(value) < 1 ||
		Number(value) > maxLimit
	) {
		throw badRequest(`limit must be a whole number from 1 to ${maxLimit}`);
	}
	return Number(value);
}

function parseCursor(value: unknown): string | undefined {
	if (value === undefined || value === '') return undefined;
	if (typeof value !== 'string' || !/^\d{1,18}$/.test(value))
		throw badRequest('cursor must be the nextCursor of a previous page', 'invalid_cursor');
	return value;
}

/** GET /campaigns/:id/events?type=click,view&limit=100&cursor=… — the raw events, oldest first. */
export function eventRoutes(db: Database): Router {
	const router = Router();
	router.get('/campaigns/:id/events', async (req, res) => {
		const types = parseTypes(req.query.type);
		const limit = parseLimit(req.query.limit);
		const after = parseCursor(req.query.cursor);
		const campaign = await getCampaign(db, req.params.id);
		res.json(await listEvents(db, campaign.id, { types, limit, after }));
	});
	return router;
}
