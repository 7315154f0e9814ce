import { badRequest } from '../http/errors';

/**
 * An IANA time zone name (Europe/Berlin, America/Argentina/Buenos_Aires, UTC) that both the
 * runtime's Intl and PostgreSQL know. Offsets and POSIX strings ("+02", "EST5EDT,M3.2.0") are
 * refused: PostgreSQL reads the sign of POSIX offsets the other way round.
 */
export function parseTimeZone(value: unknown): string {
	if (value === undefined || value === '') return 'UTC';
	if (
		typeof value !== 'string' ||
		value.length > 64 ||
		!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(value)
	) {
		throw badRequest(
			'timeZone must be an IANA time zone name such as Europe/Berlin or UTC',
			'invalid_time_zone',
		);
	}
	try {
		return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
	} catch {
		throw badRequest(`timeZone "${value}" is not a known IANA time zone`, 'invalid_time_zone');
	}
}
