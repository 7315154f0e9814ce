import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// Best hours convert slots with PostgreSQL's time zone data (AT TIME ZONE): this runs them on the
// embedded PostgreSQL (PGlite) a newcomer gets without DATABASE_URL, in the built server (its own
// process: jest's VM cannot load PGlite's ES modules).
test('when the server runs on embedded PostgreSQL, then best hours are read in the recipients’ zones and in a fixed one', async () => {
	const child = path.resolve(__dirname, '../../support/embedded-send-times-child.js');
	const { stdout } = await promisify(execFile)(process.execPath, [child], { timeout: 60_000 });
	const { own, fixed } = JSON.parse(stdout);
	expect(own.recipients).toEqual([
		{
			recipient: '+4915100000001',
			hour: 18,
			timeZone: 'Europe/Berlin',
			source: 'recipient',
			clicks: 3,
		},
		// Kyiv is an hour ahead of Berlin all year
		{
			recipient: '+380501234567',
			hour: 19,
			timeZone: 'Europe/Kyiv',
			source: 'audience',
			clicks: 0,
		},
	]);
	// 17:05, 16:20 and 17:59 UTC are 22:35, 21:50 and 23:29 in India: a tie, the earliest hour wins
	expect(fixed.recipients[0]).toMatchObject({
		hour: 21,
		// the runtime's own name for the zone (Node 20's ICU still says Asia/Calcutta)
		timeZone: expect.stringMatching(/^Asia\/(Kolkata|Calcutta)$/),
		source: 'recipient',
	});
});
