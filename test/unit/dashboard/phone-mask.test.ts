import { readFileSync } from 'node:fs';
import path from 'node:path';
import { callingCodeByCountry } from '../../../server/src/shared/phone';
import { maskPhone } from '../../../server/src/shared/phone-mask';

// The dashboard's phone.js is a browser module (no build step): its copy of the calling codes and
// of the mask rule is read as text here and held equal to the server's.
const source = readFileSync(path.resolve(__dirname, '../../../server/public/dashboard/js/phone.js'), 'utf8');
const dashboardMask = new Function(
	`${source.replace(/^export /gm, '')}; return maskPhone;`,
)() as (phone: string | null) => string;

test("when the dashboard masks a phone number, then it uses the server's calling codes", () => {
	const listed = /\(\s*('[\s\S]*?')\s*\)\.split/.exec(source)![1];
	const codes = new Function(`return ${listed};`)().split(' ');
	expect([...codes].sort()).toEqual([...new Set(callingCodeByCountry.values())].sort());
});

test('when the dashboard masks a phone number, then it reads as the live feed shows it', () => {
	for (const phone of ['+4915112345667', '+12025550123', '+35312345678', '+9715012345678', '+447700900123', '12345', '+4930123456']) {
		expect([phone, dashboardMask(phone)]).toEqual([phone, maskPhone(phone)]);
	}
});
