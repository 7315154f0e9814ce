import { Router } from 'express';
import type { Database } from '../db';
import { authenticated, requireScope } from '../http/auth';
import { createKey, listKeys, revokeKey } from './store';
import { parseBody } from '../http/schema';
import { newKeyBody } from './schemas';

/** /keys: admin keys create, list and revoke keys; any key may ask what it is (/keys/self). */
export function keyRoutes(db: Database): Router {
	const router = Router();

	router.post('/keys', requireScope('admin'), async (req, res) => {
		res.status(201).json(await createKey(db, parseBody(newKeyBody, req)));
	});

	router.get('/keys', requireScope('admin'), async (_req, res) => {
		res.json({ keys: await listKeys(db) });
	});

	router.get('/keys/self', requireScope(authenticated), (_req, res) => {
		res.json(res.locals.apiKey);
	});

	router.delete('/keys/:id', requireScope('admin'), async (req, res) => {
		res.json(await revokeKey(db, req.params.id));
	});

	return router;
}
