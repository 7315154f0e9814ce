import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// The rollups rely on PL/pgSQL, statement triggers with transition tables and a temporary table:
// this runs them on the embedded PostgreSQL (PGlite) a newcomer gets without DATABASE_URL, in the
// built server (its own process: jest's VM cannot load PGlite's ES modules).
test('when the server runs on embedded PostgreSQL, then stats from the rollups equal stats from the events, segments answer, and an erasure keeps the figures', async () => {
	const child = path.resolve(__dirname, '../../support/embedded-stats-child.js');
	const { stdout } = await promisify(execFile)(process.execPath, [child], { timeout: 60_000 });
	const { fromRollups, fromEvents, ranged, segments, pending, erased, afterErasure } = JSON.parse(stdout);
	expect(fromRollups.totals).toMatchObject({
		recipients: 40,
		clicks: 20,
		views: 10,
		uniqueClickers: 20,
	});
	expect({ ...fromEvents, from: null, to: null }).toEqual(fromRollups);
	// events 5 to 28 (every 7 minutes from 10:00) fall in 10:30:30–13:20
	expect(ranged.totals).toMatchObject({ clicks: 12, views: 6, uniqueClickers: 12 });
	expect(segments).toEqual({ mobileClickers: 20, nonClickers: 20 });
	expect(pending).toBe(0);
	expect(erased).toMatchObject({ erasureId: expect.stringMatching(/^era_/), campaigns: 1, links: 1, events: 1 });
	expect(afterErasure).toEqual(fromRollups);
});
