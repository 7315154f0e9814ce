import { Router } from 'express';
import type { Database } from '../db';

export function healthRoutes(db: Database): Router {
	const router = Router();
	router.get('/healthz', (_req, res) => {
		res.json({ status: 'ok' });
	});
	router.get('/readyz', async (_req, res) => {
		const ready = await db.ping();
		res.status(ready ? 200 : 503).json(ready ? { status: 'ready' } : { error: { code: 'database_unavailable', message: 'The database does not answer' } });
	});
	return router;
}
