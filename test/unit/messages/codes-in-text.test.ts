import { codesInText } from '../../../server/src/messages/codes-in-text';

describe('codesInText', () => {
	test.each([
		['a short link at the very end', 'Sale: https://go.example/Ab12Cd34', ['Ab12Cd34']],
		['a trailing full stop', 'Sale: https://go.example/Ab12Cd34.', ['Ab12Cd34']],
		['inside parentheses', 'Sale (https://go.example/Ab12Cd34) now', ['Ab12Cd34']],
		[
			'written without https://',
			'go.example/Ab12Cd34 and http://go.example/Zz99Yy88',
			['Ab12Cd34', 'Zz99Yy88'],
		],
		[
			'the same link twice',
			'https://go.example/Ab12Cd34 https://go.example/Ab12Cd34',
			['Ab12Cd34'],
		],
		['another host that ends like ours', 'https://notgo.example/Ab12Cd34', []],
		['a deeper path on our host', 'https://go.example/dashboard/x', []],
		['no link at all', 'Hello there', []],
	])('%s', (_name, text, codes) => {
		expect(codesInText(text, 'https://go.example')).toEqual(codes);
	});

	test('when the public base URL has a path, then only links under it count', () => {
		expect(
			codesInText('https://x.example/s/Ab12 https://x.example/Cd34', 'https://x.example/s/'),
		).toEqual(['Ab12']);
	});
});
