import { z } from 'zod';
import { isCurrency } from '../shared/currencies';

/** Every error answer of the API. */
export const errorResponse = z.object({
	error: z.object({
		code: z.string().meta({ description: 'Stable, machine-readable: invalid_request, not_found, …' }),
		message: z.string().meta({ description: 'For people; names the field at fault' }),
	}),
});

/** A date-time as the API answers it (UTC, ISO 8601). */
export const timestamp = z.iso.datetime({ offset: true });

/**
 * A page size in the query string: digits only (no 1e2, 2.0 or -1), from 1 to `max`; absent:
 * `fallback`. The document shows it as the integer it is.
 */
export const pageLimit = ({ fallback, max }: { fallback: number; max: number }) => {
	const message = `must be a whole number from 1 to ${max}`;
	return z
		.string({ error: message })
		.regex(/^\d{1,9}$/, message)
		.transform(Number)
		.refine((n) => n >= 1 && n <= max, message)
		.optional()
		.transform((n) => n ?? fallback)
		.meta({ openapi: { type: 'integer', minimum: 1, maximum: max, default: fallback } });
};

/** The cursor of the next page, or null on the last one. */
export const nextCursor = z
	.string()
	.nullable()
	.meta({ description: 'Give it as cursor to get the next page; null: this was the last page' });

/** A query flag: true or false. */
export const queryFlag = z
	.enum(['true', 'false'], { error: 'must be true or false' })
	.transform((value) => value === 'true')
	.meta({ openapi: { type: 'boolean' } });

const instantPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
const instantMessage = 'must be an ISO 8601 date or date-time with offset, such as 2026-12-01 or 2026-12-01T08:00:00Z';

const latestInstant = Date.UTC(9999, 0, 1);

/** A date (midnight UTC) or a date-time with offset, in the query string. */
export const queryInstant = z
	.string()
	.regex(instantPattern, instantMessage)
	.transform((value, ctx) => {
		const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
		if (Number.isNaN(date.getTime())) {
			ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
			return z.NEVER;
		}
		// a range's slots and time zones reach past its ends, and PostgreSQL does not read the
		// six-digit years JavaScript writes from 10000 on
		if (date.getTime() >= latestInstant) {
			ctx.addIssue({ code: 'custom', message: 'must be before 9999-01-01' });
			return z.NEVER;
		}
		return date;
	})
	.meta({ description: 'A date (midnight UTC) or a date-time with offset, such as 2026-12-01T08:00:00Z' });

/** Text in the query string of at most `max` characters. */
export const queryText = (max: number) =>
	z
		.string({ error: `must be text of at most ${max} characters` })
		.max(max, { error: `must be text of at most ${max} characters` });

/** Text a request must give: trimmed, not empty, at most `max` characters. */
export const requiredText = (max: number) =>
	z
		.string({ error: 'is required and must be a non-empty string' })
		.trim()
		.min(1, { error: 'is required and must be a non-empty string' })
		.max(max, { error: `must be at most ${max} characters` });

/** Optional text: as requiredText when given; absent or null reads as undefined. */
export const optionalText = (max: number) =>
	requiredText(max)
		.nullish()
		.transform((value) => value ?? undefined);

/** A currency code, any case in, upper case out. */
export const currencyCode = z
	.string({ error: 'must be an ISO 4217 currency code such as EUR or USD' })
	.refine(isCurrency, { error: 'must be an ISO 4217 currency code such as EUR or USD' })
	.transform((value) => value.toUpperCase())
	.meta({ openapi: { type: 'string', pattern: '^[A-Za-z]{3}$', description: 'ISO 4217, such as EUR' } });

/** A date-time a request gives (ISO 8601 with a time). */
export const requestDateTime = z
	.string({ error: 'must be an ISO 8601 date-time such as 2026-12-31T23:59:00Z' })
	.refine((value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)), {
		error: 'must be an ISO 8601 date-time such as 2026-12-31T23:59:00Z',
	})
	.transform((value) => new Date(value))
	.meta({ openapi: { type: 'string', format: 'date-time' } });
