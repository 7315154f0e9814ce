import { normalisePhone } from '../../../nodes/shared/phone';

describe('phone normalisation in the node', () => {
	test.each([
		['when the number is E.164, then it is kept', '+4915112345678', undefined, '+4915112345678'],
		[
			'when the number has spaces and dashes, then they are removed',
			'+49 151-123 456 78',
			undefined,
			'+4915112345678',
		],
		[
			'when the number starts with 00, then it becomes +',
			'004915112345678',
			undefined,
			'+4915112345678',
		],
		[
			'when a national number and a default code are given, then the trunk 0 is replaced',
			'0151 12345678',
			'49',
			'+4915112345678',
		],
		[
			'when the default code has a plus, then it still works',
			'(0151) 12345678',
			'+49',
			'+4915112345678',
		],
		[
			'when the number is a number type, then it is accepted with a default code',
			15112345678,
			'49',
			'+4915112345678',
		],
		[
			'when the default is an ISO country, then its calling code is used',
			'0151 12345678',
			'DE',
			'+4915112345678',
		],
		[
			'when the default is a lower-case ISO country, then it works too',
			'(415) 555-0100',
			'us',
			'+14155550100',
		],
		['when the default is Austria, then 43 is used', '0664 1234567', 'AT', '+436641234567'],
	])('%s', (_name, input, code, expected) => {
		expect(normalisePhone(input, code)).toEqual({ phone: expected });
	});

	test.each([
		['when a national number has no default code, then it is an error', '015112345678', undefined],
		['when the value has letters, then it is an error', '+49 CALL ME', undefined],
		['when the value is empty, then it is an error', '  ', '49'],
		['when the number is too short, then it is an error', '+49123', undefined],
		['when the value is not a string, then it is an error', { n: 1 }, undefined],
		['when the default country is unknown, then it is an error', '0151 12345678', 'Germany'],
	])('%s', (_name, input, code) => {
		expect(normalisePhone(input, code)).toHaveProperty('error');
	});
});
