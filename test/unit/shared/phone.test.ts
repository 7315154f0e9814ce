import { normalisePhone } from '../../../server/src/shared/phone';

test.each([
	['+49 151 12345678', undefined, '+4915112345678'],
	['0049-151-12345678', undefined, '+4915112345678'],
	['(0151) 123 456 78', '49', '+4915112345678'],
	['+1 (415) 555-2671', undefined, '+14155552671'],
	['415.555.2671', '1', '+14155552671'],
])('when %s is given (default calling code %s), then it becomes %s', (input, code, expected) => {
	expect(normalisePhone(input, code)).toBe(expected);
});

test.each([
	['015112345678', undefined],
	['+49151', undefined],
	['+0151123456789', undefined],
	['+49 151 1234567890123', undefined],
	['hello', '49'],
	['+49 151 1234 ext 5', undefined],
])('when %s is given (default %s), then it is rejected as not E.164', (input, code) => {
	expect(() => normalisePhone(input, code)).toThrow(/phone|international/);
});
