import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isPgError, pgErrors } from '../db';
import type { Logger } from '../log';
import { HttpError } from './errors';

/** Maps body-parser's errors (invalid JSON, oversize body) to our error shape. */
function fromBodyParser(err: { type?: string; status?: number; message?: string }): HttpError | undefined {
	switch (err.type) {
		case 'entity.parse.failed':
			return new HttpError(400, 'invalid_json', 'The request body is not valid JSON');
		case 'entity.too.large':
			return new HttpError(413, 'body_too_large', 'The request body is larger than the server accepts');
		case 'encoding.unsupported':
		case 'charset.unsupported':
			return new HttpError(415, 'unsupported_encoding', err.message ?? 'Unsupported body encoding');
		default:
			return undefined;
	}
}

/** The router's error for a path segment that is not valid percent-encoding (`/campaigns/%zz`). */
function fromRouter(err: unknown): HttpError | undefined {
	if (err instanceof URIError && (err as URIError & { status?: number }).status === 400)
		return new HttpError(400, 'invalid_path', 'A path segment is not valid percent-encoding');
	return undefined;
}

/** Input PostgreSQL refuses as text, wherever a route passed it on unchecked. */
function fromDatabase(err: unknown): HttpError | undefined {
	if (isPgError(err, pgErrors.characterNotInRepertoire))
		return new HttpError(400, 'invalid_text', 'The request contains a NUL character (\\u0000 or %00)');
	return undefined;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
	return (err, req, res, _next) => {
		const known = err instanceof HttpError ? err : (fromBodyParser(err) ?? fromRouter(err) ?? fromDatabase(err));
		if (!known) {
			log.error('request failed', { reqId: res.locals.reqId, method: req.method, route: req.route?.path, err });
		}
		const error = known ?? new HttpError(500, 'internal_error', 'The server could not complete the request');
		if (res.headersSent) return;
		res.status(error.status).json({ error: { code: error.code, message: error.message } });
	};
}

export const notFoundHandler: RequestHandler = (req, _res, next) =>
	next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));
