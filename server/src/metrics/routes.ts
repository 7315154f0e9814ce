import { Router } from 'express';
import { unauthorized } from '../http/errors';
import { createSecretMatcher } from '../shared/constant-time';
import type { Metrics } from './registry';

/** GET /metrics: the Prometheus exposition; with a token, only for `Authorization: Bearer <token>`. */
export function metricsRoutes(metrics: Metrics, token: string | undefined): Router {
	const router = Router();
	const isToken = token ? createSecretMatcher([token]) : undefined;
	router.get('/', async (req, res, next) => {
		if (isToken) {
			const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
			if (!match || !isToken(match[1])) {
				return next(
					unauthorized('A valid metrics token is required: Authorization: Bearer <METRICS_TOKEN>'),
				);
			}
		}
		try {
			const body = await metrics.render();
			res.set({ 'content-type': metrics.contentType, 'cache-control': 'no-store' }).send(body);
		} catch (err) {
			next(err);
		}
	});
	return router;
}
