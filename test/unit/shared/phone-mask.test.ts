import { maskPhone } from '../../../server/src/shared/phone-mask';

describe('maskPhone', () => {
	test.each([
		['a German mobile', '+4915112345667', '+49 151 •••• 67'],
		['a North American number (one-digit calling code)', '+14155550167', '+1 415 •••• 67'],
		['a three-digit calling code', '+35312345678', '+353 •••• 78'],
		['a long three-digit-code number', '+353861234567', '+353 861 •••• 67'],
		['a short number keeps only its calling code and end', '+4930123', '+49 •••• 23'],
		['a number without a plus (not E.164) shows no calling code', '015112345667', '015 •••• 67'],
		['too few digits to show any', '+4912', '••••'],
	])('%s: %s → %s', (_name, phone, masked) => {
		expect(maskPhone(phone)).toBe(masked);
	});

	test('when there is no number, then there is nothing to mask', () => {
		expect(maskPhone(null)).toBeNull();
	});

	test('when a number is masked, then at most the calling code and five more of its digits remain', () => {
		for (const phone of ['+4915112345667', '+14155550167', '+861381234567890']) {
			const code = maskPhone(phone)!.split(' ')[0].slice(1);
			const shown = maskPhone(phone)!.replace(/\D/g, '');
			expect(shown.length - code.length).toBeLessThanOrEqual(5);
		}
	});
});
