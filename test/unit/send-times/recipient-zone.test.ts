import { recipientTimeZone, zoneByCountry } from '../../../server/src/send-times/recipient-zone';
import { callingCodeByCountry } from '../../../server/src/shared/phone';

describe('a recipient’s time zone from their number', () => {
	test.each([
		['Germany', '+4915112345678', 'Europe/Berlin'],
		['the US, +1 (New York is the documented default)', '+12125550100', 'America/New_York'],
		['Canada shares +1: the default is the US zone', '+14165550100', 'America/New_York'],
		['Russia, +7 (Kazakhstan shares it)', '+74951234567', 'Europe/Moscow'],
		['the UK, +44', '+447700900123', 'Europe/London'],
		['India (a half-hour zone)', '+919876543210', 'Asia/Kolkata'],
		['a three-digit code (Ireland, 353)', '+353871234567', 'Europe/Dublin'],
		['Brazil (several zones: São Paulo)', '+5511912345678', 'America/Sao_Paulo'],
		['Australia, +61', '+61412345678', 'Australia/Sydney'],
		['a code no country has', '+8001234567', 'UTC'],
	])('%s', (_, phone, zone) => {
		expect(recipientTimeZone(phone)).toBe(zone);
	});

	test('when the calling-code table names a country, then it has a zone the runtime knows', () => {
		for (const country of callingCodeByCountry.keys()) {
			const zone = zoneByCountry.get(country);
			expect([country, zone]).toEqual([country, expect.any(String)]);
			expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
		}
	});
});
