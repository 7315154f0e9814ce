import { Router } from 'express';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { getCampaign } from '../campaigns/store';
import { badRequest } from '../http/errors';
import { commaList } from '../shared/comma-list';
import { parsePageLimit } from '../shared/pagination';
import { normalisePhone } from '../shared/phone';
import { onlyKnownParams, optionalInstant } from '../stats/params';
import type { AppConfig } from '../config';
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

/**
 * GET /campaigns/:id/events?type=click,view&recipient=…&wave=…&from=…&to=…&limit=100&cursor=… — the raw
 * events, oldest first.
 */
export function eventRoutes(db: Database, config: Pick<AppConfig, 'defaultCallingCode'>): Router {
	const router = Router();
	router.get('/campaigns/:id/events', requireScope('read'), async (req, res) => {
		const query = req.query as Record<string, unknown>;
		onlyKnownParams(query, ['type', 'recipient', 'wave', 'from', 'to', 'limit', 'cursor']);
		const types = parseTypes(query.type);
		const limit = parsePageLimit(query.limit, { fallback: 100, max: 1000 });
		const after = parseCursor(query.cursor);
		const recipient =
			query.recipient === undefined || query.recipient === ''
				? undefined
				: normalisePhone(query.recipient, config.defaultCallingCode, 'recipient');
		const from = optionalInstant(query, 'from') ?? undefined;
		const to = optionalInstant(query, 'to') ?? undefined;
		if (from && to && from >= to) throw badRequest('from must be before to');
		const wave = optionalWave(query.wave === '' ? undefined : query.wave);
		const campaign = await getCampaign(db, req.params.id);
		res.json(await listEvents(db, campaign.id, { types, recipient, wave, from, to, limit, after }));
	});
	return router;
}
