import { callingCodeOf as nodeCallingCodeOf } from '../../../nodes/shared/calling-codes';
import { normalisePhone as nodeNormalise } from '../../../nodes/shared/phone';
import {
	callingCodeOf as serverCallingCodeOf,
	normalisePhone as serverNormalise,
} from '../../../server/src/shared/phone';

/** The node's answer: the E.164 number, or 'rejected'. */
function byNode(value: unknown, country: string | undefined): string {
	const result = nodeNormalise(value, country);
	return 'phone' in result ? result.phone : 'rejected';
}

/** The server's answer with DEFAULT_CALLING_CODE set to `country` (as config.ts reads it). */
function byServer(value: unknown, country: string | undefined): string {
	try {
		return serverNormalise(value, country === undefined ? undefined : serverCallingCodeOf(country));
	} catch {
		return 'rejected';
	}
}

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('node and server phone normalisation', () => {
	test('when every two-letter code and every number up to 1000 is asked for, then node and server give the same calling code', () => {
		const countries = [...letters].flatMap((a) => [...letters].map((b) => a + b));
		const numbers = Array.from({ length: 1001 }, (_, i) => String(i));
		const inputs = [
			...countries,
			...countries.map((c) => c.toLowerCase()),
			...numbers,
			...numbers.map((n) => `+${n}`),
			' DE ',
			'Germany',
			'',
			'+',
			'0049',
		];
		const differ = inputs.filter((c) => nodeCallingCodeOf(c) !== serverCallingCodeOf(c));
		expect(differ).toEqual([]);
		// The table is really there on both sides, not two empty answers.
		expect(serverCallingCodeOf('de')).toBe('49');
		expect(inputs.filter((c) => serverCallingCodeOf(c) !== undefined).length).toBeGreaterThan(
			2 * 240 + 2 * 999,
		);
	});

	test('when many written numbers are normalised with and without a default country, then node and server agree on each', () => {
		const prefixes = ['', '+', '00', '0', '+0', '000', ' +'];
		const bodies = ['1', '151', '15112', '1511234', '15112345', '151123456', '1511234567890'];
		const bodies2 = [...bodies, '15112345678901', '151123456789012', '1511234567890123'];
		const formats = [
			(s: string) => s,
			(s: string) => s.replace(/(\d{3})/g, '$1 '),
			(s: string) => s.replace(/(\d{2})/g, '$1-'),
			(s: string) => `(${s.slice(0, 3)}) ${s.slice(3)}`,
			(s: string) => s.replace(/(\d{4})/g, '$1/'),
			(s: string) => s.replace(/(\d{3})/g, '$1.'),
			(s: string) => `${s} ext 5`,
			(s: string) => `${s}a`,
		];
		const countries = [
			undefined,
			'49',
			'+49',
			'1',
			'7',
			'358',
			'DE',
			'de',
			'us',
			'AT',
			'KZ',
			' 44 ',
		];
		let compared = 0;
		const differ: string[] = [];
		for (const country of countries)
			for (const prefix of prefixes)
				for (const body of bodies2)
					for (const format of formats) {
						const written = format(prefix + body);
						compared++;
						const node = byNode(written, country);
						const server = byServer(written, country);
						if (node !== server)
							differ.push(`${written} (${country}): node ${node}, server ${server}`);
					}
		for (const value of [4915112345678, 15112345678, 0, -1, 1.5, null, undefined, {}, [], true, ''])
			for (const country of countries) {
				compared++;
				if (byNode(value, country) !== byServer(value, country))
					differ.push(`${String(value)} (${country})`);
			}
		expect(differ).toEqual([]);
		expect(compared).toBeGreaterThan(5000);
		// Both accept and both reject among them: the comparison is not of two constant answers.
		expect(byServer('0151 12345678', 'DE')).toBe('+4915112345678');
		expect(byServer('0151 12345678', undefined)).toBe('rejected');
	});
});
