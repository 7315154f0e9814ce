import { pageLimit, requiredText } from '../../../server/src/http/common-schemas';
import { HttpError } from '../../../server/src/http/errors';
import { byParser, coded, parseBody, parseQuery, z } from '../../../server/src/http/schema';
import { absoluteUrl } from '../../../server/src/shared/url-schema';
import { statsQuery } from '../../../server/src/stats/schemas';

function errorOf(run: () => unknown): { status: number; code: string; message: string } {
	try {
		run();
	} catch (err) {
		expect(err).toBeInstanceOf(HttpError);
		const { status, code, message } = err as HttpError;
		return { status, code, message };
	}
	throw new Error('no error was thrown');
}

describe('page size in the query string', () => {
	const limitQuery = z.strictObject({ limit: pageLimit({ fallback: 50, max: 500 }) });
	const read = (limit: unknown) => parseQuery(limitQuery, { query: limit === undefined ? {} : { limit } }).limit;

	test.each([
		[undefined, 50],
		['', 50],
		['1', 1],
		['500', 500],
		['007', 7],
	])('when the limit is %p, then the page size is %p', (value, expected) => {
		expect(read(value)).toBe(expected);
	});

	test.each([['0'], ['501'], ['1e2'], ['2.0'], ['-1'], [' 5'], ['0x10'], ['ten'], [['5', '6']], [{ a: '1' }]])(
		'when the limit is %p, then it is a 400 naming the parameter and its range',
		(value) => {
			expect(errorOf(() => read(value))).toEqual({
				status: 400,
				code: 'invalid_request',
				message: 'limit must be a whole number from 1 to 500',
			});
		},
	);
});

describe('error messages name the field', () => {
	const body = z.strictObject({
		name: requiredText(10),
		recipients: z.array(z.strictObject({ urls: z.array(absoluteUrl).min(1) })).min(1),
		kind: z.enum(['a', 'b'], { error: coded('invalid_kind', 'must be a or b') }).optional(),
		count: z.int().min(1).optional(),
	});
	const ok = { name: 'x', recipients: [{ urls: ['https://ok.example/'] }] };

	test.each([
		['a body that is not an object', [1], 'invalid_request', 'body must be a JSON object'],
		['a missing field', { recipients: ok.recipients }, 'invalid_request', 'name is required and must be a non-empty string'],
		['a blank field', { ...ok, name: '  ' }, 'invalid_request', 'name is required and must be a non-empty string'],
		['a too long field', { ...ok, name: 'x'.repeat(11) }, 'invalid_request', 'name must be at most 10 characters'],
		['unknown fields', { ...ok, colour: 1, size: 2 }, 'invalid_request', 'body has unknown field(s): colour, size'],
		['an unknown nested field', { ...ok, recipients: [{ urls: ['https://ok.example/'], x: 1 }] }, 'invalid_request', 'recipients[0] has unknown field(s): x'],
		['an empty list', { ...ok, recipients: [] }, 'invalid_request', 'recipients must have at least 1 element'],
		['a bad element deep down', { ...ok, recipients: [ok.recipients[0], { urls: ['ftp://x.example/'] }] }, 'invalid_url', 'recipients[1].urls[0] must be an absolute http:// or https:// URL'],
		['a number for a URL', { ...ok, recipients: [{ urls: [12] }] }, 'invalid_url', 'recipients[0].urls[0] must be a non-empty URL string'],
		['a value with its own code', { ...ok, kind: 'c' }, 'invalid_kind', 'kind must be a or b'],
		['a fraction for a whole number', { ...ok, count: 1.5 }, 'invalid_request', 'count must be a whole number'],
		['a number too small', { ...ok, count: 0 }, 'invalid_request', 'count must be at least 1'],
	])('when the body has %s (%j), then 400 %s: "%s"', (_case, given, code, message) => {
		expect(errorOf(() => parseBody(body, { body: given }))).toEqual({ status: 400, code, message });
	});

	test('when a query has an unknown parameter, then the message says it is a query parameter', () => {
		expect(errorOf(() => parseQuery(z.strictObject({ a: z.string().optional() }), { query: { b: '1' } })).message).toBe(
			'unknown query parameter(s): b',
		);
	});

	test('when a parser inside a schema throws its own error, then its status and code stay', () => {
		const schema = z.strictObject({
			zone: z.string().transform(
				byParser((value, field) => {
					throw new HttpError(422, 'invalid_zone', `${field} "${String(value)}" is unknown`);
				}),
			),
		});
		expect(errorOf(() => parseBody(schema, { body: { zone: 'Mars/Base' } }))).toEqual({
			status: 422,
			code: 'invalid_zone',
			message: 'zone "Mars/Base" is unknown',
		});
	});

	test('when the body is valid, then the parsed and typed value comes back', () => {
		const parsed = parseBody(body, { body: { ...ok, name: ' trimmed ' } });
		expect(parsed).toEqual({ name: 'trimmed', recipients: [{ urls: ['https://ok.example/'] }] });
	});
});

test('when a range has one good and one bad end, then the bad end is a 400, not a crash of the range check', () => {
	expect(errorOf(() => parseQuery(statsQuery, { query: { from: '2026-01-01', to: 'read' } }))).toMatchObject({
		status: 400,
		message: expect.stringMatching(/^to must be an ISO 8601 date/),
	});
});
