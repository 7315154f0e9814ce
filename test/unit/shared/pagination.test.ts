import { HttpError } from '../../../server/src/http/errors';
import { parsePageLimit } from '../../../server/src/shared/pagination';

const opts = { fallback: 50, max: 500 };

test.each([
	[undefined, 50],
	['', 50],
	['1', 1],
	['500', 500],
	['007', 7],
])('when the limit is %p, then the page size is %p', (value, expected) => {
	expect(parsePageLimit(value, opts)).toBe(expected);
});

test.each([
	['0'],
	['501'],
	['1e2'],
	['2.0'],
	['-1'],
	[' 5'],
	['0x10'],
	['ten'],
	[['5', '6']],
	[{ a: '1' }],
])('when the limit is %p, then it is a 400 naming the parameter and its range', (value) => {
	let error: unknown;
	try {
		parsePageLimit(value, opts);
	} catch (err) {
		error = err;
	}
	expect(error).toBeInstanceOf(HttpError);
	expect(error).toMatchObject({
		status: 400,
		code: 'invalid_request',
		message: 'limit must be a whole number from 1 to 500',
	});
});
