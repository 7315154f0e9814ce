import { Router } from 'express';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { badRequest } from '../http/errors';
import { asObject, onlyKnownFields, optionalString, requiredArray } from '../http/validate';
import { parsePageLimit } from '../shared/pagination';
import { normalisePhone } from '../shared/phone';
import { addOptOuts, getOptOut, listOptOuts, optedOutAmong, removeOptOut } from './store';

/** Numbers per add or check call: a Send node asks once per 10,000 recipients. */
export const maxPhonesPerCall = 10_000;

function parsePhones(
	body: Record<string, unknown>,
	defaultCallingCode: string | undefined,
): string[] {
	return requiredArray(body, 'phones', { min: 1, max: maxPhonesPerCall }).map((value, i) =>
		normalisePhone(value, defaultCallingCode, `phones[${i}]`),
	);
}

function parseCursor(value: unknown): { at: string; phone: string } | undefined {
	if (value === undefined || value === '') return undefined;
	const match =
		typeof value === 'string' &&
		/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\+[1-9]\d{7,14})$/.exec(value);
	if (!match) throw badRequest('cursor is not one this API returned');
	return { at: match[1], phone: match[2] };
}

/** /api/v1/opt-outs: the people Send leaves out (docs/api.md#opt-outs). */
export function optOutRoutes(db: Database, config: { defaultCallingCode?: string }): Router {
	const router = Router();

	router.post('/opt-outs', requireScope('write'), async (req, res) => {
		const body = asObject(req.body);
		onlyKnownFields(body, ['phones', 'reason']);
		const phones = parsePhones(body, config.defaultCallingCode);
		const reason = optionalString(body, 'reason', 200) ?? null;
		const added = await addOptOuts(db, phones, 'api', reason);
		res.status(added.length ? 201 : 200).json({
			added,
			alreadyListed: new Set(phones).size - added.length,
		});
	});

	router.post('/opt-outs/check', requireScope('write'), async (req, res) => {
		const body = asObject(req.body);
		onlyKnownFields(body, ['phones']);
		res.json({ optedOut: await optedOutAmong(db, parsePhones(body, config.defaultCallingCode)) });
	});

	router.get('/opt-outs', requireScope('read'), async (req, res) => {
		const limit = parsePageLimit(req.query.limit, { fallback: 100, max: 1000 });
		res.json(await listOptOuts(db, { limit, cursor: parseCursor(req.query.cursor) }));
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
