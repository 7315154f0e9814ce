import { badRequest } from '../http/errors';

/** Cursors are opaque to callers: the last recipient of the page, base64url-encoded. */
export const encodeCursor = (recipient: string) =>
	Buffer.from(`r:${recipient}`, 'utf8').toString('base64url');

/** The cursor of GET …/recipients: the recipient after which the page starts. */
export function decodeCursor(value: unknown): string | undefined {
	if (value === undefined || value === '') return undefined;
	const decoded =
		typeof value === 'string' && value.length <= 200
			? Buffer.from(value, 'base64url').toString('utf8')
			: '';
	if (!decoded.startsWith('r:') || decoded.length < 3)
		throw badRequest('cursor is not a cursor this server returned', 'invalid_cursor');
	return decoded.slice(2);
}
