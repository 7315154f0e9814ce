import { Router } from 'express';
import type { Database } from '../db';

/** GET /healthz: the process answers. */
export function livenessRoutes(): Router {
	const router = Router();
	router.get('/', (_req, res) => {
		res.json({ status: 'ok' });
	});
	return router;
}

/**
 * GET /readyz: the process answers, its database does too, and clicks are being recorded (not
 * the case for a minute after a click could be written neither to the journal nor to PostgreSQL).
 */
export function readinessRoutes(db: Database, recording: () => boolean = () => true): Router {
	const router = Router();
	router.get('/', async (_req, res) => {
		if (!recording()) {
			res.status(503).json({
				error: {
					code: 'clicks_unrecorded',
					message: 'Clicks can be written neither to the journal nor to the database',
				},
			});
			return;
		}
		const ready = await db.ping();
		res
			.status(ready ? 200 : 503)
			.json(
				ready
					? { status: 'ready' }
					: { error: { code: 'database_unavailable', message: 'The database does not answer' } },
			);
	});
	return router;
}
