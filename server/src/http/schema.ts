import { z } from 'zod';
import { badRequest, HttpError } from './errors';

// The tests build schemas with the server's zod 4 (the repository root resolves an older one).
export { z };

/**
 * Request validation from the routes' zod schemas (each module's schemas.ts). The first problem
 * found becomes a 400 `{error:{code,message}}` whose message starts with the field's path, such as
 * `recipients[1].urls[0] must be …`; the same schemas make the OpenAPI document (openapi.ts).
 *
 * A schema's own message is written without the field name (the path is put in front). A message
 * that needs an error code other than invalid_request is written with `coded()`.
 */
export const coded = (code: string, message: string) => `[${code}] ${message}`;

const codedMessage = /^\[([a-z_]+)\] ([\s\S]*)$/;

/** Marks an issue that carries one of our own errors (from a parser run inside a schema). */
const thrownError = 'httpError';
/** Stands for the field's path in a parser's message until the path is known. */
const fieldMark = '\u0000field\u0000';

/**
 * Runs a parser that throws HttpError (URLs, time zones, metadata…) inside a schema, so one
 * field's checks live in one place: its error comes out with its own code, and `field` in its
 * message becomes the field's path.
 */
export function byParser<Out>(parse: (value: unknown, field: string) => Out) {
	return (value: unknown, ctx: z.RefinementCtx): Out => {
		try {
			return parse(value, fieldMark);
		} catch (err) {
			if (!(err instanceof HttpError)) throw err;
			ctx.addIssue({ code: 'custom', message: err.message, params: { [thrownError]: err } });
			return z.NEVER;
		}
	};
}

const kinds: Record<string, string> = {
	string: 'a string',
	number: 'a number',
	int: 'a whole number',
	boolean: 'true or false',
	object: 'a JSON object',
	array: 'an array',
};

function units(origin: string, n: number | bigint): string {
	if (origin === 'string') return `${n} characters`;
	if (origin === 'array' || origin === 'set') return `${n} element${n === 1 ? '' : 's'}`;
	return String(n);
}

/** Our wording of zod's issues, without the field name. */
function describe(issue: z.core.$ZodRawIssue): string | undefined {
	switch (issue.code) {
		case 'invalid_type':
			if (issue.input === undefined) return `is required and must be ${kinds[issue.expected] ?? issue.expected}`;
			return `must be ${kinds[issue.expected] ?? issue.expected}`;
		case 'too_small':
			if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
			if (issue.origin === 'array') return `must have at least ${units('array', issue.minimum)}`;
			return issue.inclusive === false
				? `must be more than ${issue.minimum}`
				: `must be at least ${units(issue.origin, issue.minimum)}`;
		case 'too_big':
			if (issue.origin === 'array') return `must have at most ${units('array', issue.maximum)}`;
			return `must be at most ${units(issue.origin, issue.maximum)}`;
		case 'invalid_value':
			return `must be one of ${issue.values.map(String).join(', ')}`;
		case 'unrecognized_keys':
			return `has unknown field(s): ${issue.keys.join(', ')}`;
		case 'invalid_format':
			if (issue.format === 'datetime') return 'must be an ISO 8601 date-time such as 2026-12-31T23:59:00Z';
			return `is not in the expected format`;
		case 'not_multiple_of':
			return `must be a multiple of ${issue.divisor}`;
		default:
			return undefined;
	}
}

/** `recipients[1].urls[0]` from ['recipients', 1, 'urls', 0]. */
export function fieldPath(path: PropertyKey[], root: string): string {
	let text = '';
	for (const key of path) text += typeof key === 'number' ? `[${key}]` : text ? `.${String(key)}` : String(key);
	return text || root;
}

function toHttpError(issue: z.core.$ZodIssue, where: 'body' | 'query' | 'headers'): HttpError {
	const thrown = (issue as { params?: Record<string, unknown> }).params?.[thrownError];
	if (thrown instanceof HttpError)
		return new HttpError(thrown.status, thrown.code, thrown.message.replaceAll(fieldMark, fieldPath(issue.path, where)));
	const match = codedMessage.exec(issue.message);
	const [code, message] = match ? [match[1], match[2]] : ['invalid_request', issue.message];
	if (issue.code === 'unrecognized_keys' && issue.path.length === 0 && where === 'query') {
		return badRequest(`unknown query parameter(s): ${issue.keys.join(', ')}`, code);
	}
	return badRequest(`${fieldPath(issue.path, where)} ${message}`, code);
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'headers'): z.output<S> {
	const result = schema.safeParse(value, { error: describe });
	if (result.success) return result.data;
	throw toHttpError(result.error.issues[0], where);
}

/** The request body through its schema; an absent body is read as {} (express leaves it undefined). */
export const parseBody = <S extends z.ZodType>(schema: S, req: { body?: unknown }): z.output<S> =>
	parse(schema, req.body ?? {}, 'body');

/**
 * The query string through its schema. An empty value (`?limit=`) is read as an absent one, as
 * HTML forms and the dashboard send them.
 */
export function parseQuery<S extends z.ZodType>(schema: S, req: { query: unknown }): z.output<S> {
	const query = Object.fromEntries(
		Object.entries((req.query ?? {}) as Record<string, unknown>).filter(([, value]) => value !== ''),
	);
	return parse(schema, query, 'query');
}

/** The request headers a route reads, through their schema (names in lower case). */
export const parseHeaders = <S extends z.ZodType>(schema: S, req: { headers: unknown }): z.output<S> =>
	parse(schema, req.headers, 'headers');
