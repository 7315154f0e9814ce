/** The one error type of the HTTP layer; the error middleware renders it as {error:{code,message}}. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

export const badRequest = (message: string, code = 'invalid_request') => new HttpError(400, code, message);
export const notFound = (message: string, code = 'not_found') => new HttpError(404, code, message);
export const unauthorized = (message = 'A valid API key is required: Authorization: Bearer <key>') =>
	new HttpError(401, 'unauthorized', message);
