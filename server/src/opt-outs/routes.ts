import { Router } from 'express';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { parseBody, parseQuery } from '../http/schema';
import { normalisePhone } from '../shared/phone';
import { addOptOutsBody, checkOptOutsBody, optOutListQuery } from './schemas';
import { addOptOuts, getOptOut, listOptOuts, optedOutAmong, removeOptOut } from './store';

/** /api/v1/opt-outs: the people Send leaves out (docs/api.md#opt-outs). */
export function optOutRoutes(db: Database, config: { defaultCallingCode?: string }): Router {
	const router = Router();
	const normalisePhones = (phones: Array<string | number>) =>
		phones.map((value, i) => normalisePhone(value, config.defaultCallingCode, `phones[${i}]`));

	router.post('/opt-outs', requireScope('write'), async (req, res) => {
		const body = parseBody(addOptOutsBody, req);
		const phones = normalisePhones(body.phones);
		const reason = body.reason;
		const added = await addOptOuts(db, phones, 'api', reason);
		res.status(added.length ? 201 : 200).json({
			added,
			alreadyListed: new Set(phones).size - added.length,
		});
	});

	router.post('/opt-outs/check', requireScope('write'), async (req, res) => {
		const { phones } = parseBody(checkOptOutsBody, req);
		res.json({ optedOut: await optedOutAmong(db, normalisePhones(phones)) });
	});

	router.get('/opt-outs', requireScope('read'), async (req, res) => {
		res.json(await listOptOuts(db, parseQuery(optOutListQuery, req)));
	});

	router.get('/opt-outs/:phone', requireScope('read'), async (req, res) => {
		res.json(
			await getOptOut(db, normalisePhone(req.params.phone, config.defaultCallingCode, 'phone')),
		);
	});

	router.delete('/opt-outs/:phone', requireScope('write'), async (req, res) => {
		const phone = normalisePhone(req.params.phone, config.defaultCallingCode, 'phone');
		if (!(await removeOptOut(db, phone))) await getOptOut(db, phone); // 404 naming the number
		res.status(204).end();
	});

	return router;
}
