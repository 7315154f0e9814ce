import { Router } from 'express';
import type { Database } from '../db';
import { requireScope, type AuthenticatedKey } from '../http/auth';
import { normalisePhone } from '../shared/phone';
import { erasePerson } from './erasure';

/**
 * DELETE /api/v1/recipients/{phone}: erases a person from every campaign (docs/api.md#erase-a-person).
 * A write key may: the keys that store a person's data may take it away again. A number nothing is
 * stored about answers 200 with zero counts and changes nothing, so a retried request is harmless.
 * `linksChanged` makes the redirect forget the erased codes at once.
 */
export function recipientRoutes(
	db: Database,
	config: { defaultCallingCode?: string },
	linksChanged: () => void = () => undefined,
): Router {
	const router = Router();

	router.delete('/recipients/:phone', requireScope('write'), async (req, res) => {
		const phone = normalisePhone(req.params.phone, config.defaultCallingCode, 'phone');
		const key = res.locals.apiKey as AuthenticatedKey;
		const result = await erasePerson(db, phone, key.id);
		if (result.erasureId) linksChanged();
		res.json(result);
	});

	return router;
}
