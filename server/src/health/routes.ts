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

/** GET /readyz: the process answers and its database does too. */
export function readinessRoutes(db: Database): Router {
	const router = Router();
	router.get('/', async (_req, res) => {
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
