import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../log';

/** One line per request with an id. Only the path is logged: query strings may carry click ids. */
export function requestLog(log: Logger): RequestHandler {
	return (req, res, next) => {
		const started = process.hrtime.bigint();
		const reqId = randomBytes(6).toString('hex');
		res.locals.reqId = reqId;
		res.setHeader('x-request-id', reqId);
		res.on('finish', () => {
			log.info('request', {
				reqId,
				method: req.method,
				path: req.originalUrl.split('?')[0],
				status: res.statusCode,
				ms: Number(process.hrtime.bigint() - started) / 1e6,
			});
		});
		next();
	};
}
