// Runs in its own Node process (jest's VM cannot load PGlite's ES modules): boots the built server
// on embedded PostgreSQL, seeds a campaign with events, prints both stats answers as one JSON line.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { loadConfig } = require('../../server/dist/config');
const { startServer } = require('../../server/dist/server');
const { createLogger } = require('../../server/dist/log');
const { insertEvents } = require('../../server/dist/events/store');

async function main() {
	const key = 'embedded-stats-key-0123456789';
	const config = loadConfig({
		PORT: '0',
		API_KEY: key,
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sms-emb-stats-')),
		LOG_LEVEL: 'silent',
	});
	const server = await startServer(config, createLogger('silent'));
	const api = async (method, p, body) => {
		const res = await fetch(`${server.url}/api/v1${p}`, {
			method,
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: body && JSON.stringify(body),
		});
		return res.json();
	};
	try {
		const { id } = await api('POST', '/campaigns', {
			name: 'embedded stats',
			variants: [{ name: 'A' }, { name: 'B' }],
		});
		const recipients = Array.from({ length: 40 }, (_, i) => ({
			recipient: `+49151${String(i).padStart(7, '0')}`,
			urls: ['https://shop.example/x'],
		}));
		const { links } = await api('POST', `/campaigns/${id}/links`, { recipients });
		await insertEvents(
			server.db,
			links.map((l, index) => {
				const i = index + 1;
				return {
					eventKey: `${id}-${i}`,
					type: i % 4 === 0 ? 'bot' : i % 4 === 1 ? 'view' : 'click',
					occurredAt: new Date(Date.parse('2026-11-20T10:00:00Z') + i * 7 * 60_000),
					campaignId: id,
					recipient: l.recipient,
					variant: l.variant,
					url: l.url,
					code: l.code,
					deviceType: 'mobile',
				};
			}),
		);
		const fromRollups = await api('GET', `/campaigns/${id}/stats`);
		const fromEvents = await api('GET', `/campaigns/${id}/stats?from=2026-11-20T10:00:30Z&to=2027-12-31`);
		// cuts a slot at each end: whole slots from the slotted rollups, the ends from the events
		const ranged = await api('GET', `/campaigns/${id}/stats?from=2026-11-20T10:30:30Z&to=2026-11-20T13:20:00Z`);
		// segments: the traits trigger and the indexes of migration 012 on PGlite
		const mobileClickers = await api('GET', `/campaigns/${id}/recipients?clicked=true&deviceType=mobile&limit=1000`);
		const nonClickers = await api('GET', `/campaigns/${id}/recipients?clicked=false&limit=1000`);
		const segments = { mobileClickers: mobileClickers.recipients.length, nonClickers: nonClickers.recipients.length };
		const { rows } = await server.db.query('SELECT count(*)::int AS n FROM stats_pending');
		// erasure (its table lock and the message trigger) on PGlite: a clicker goes, the figures stay
		const erased = await api('DELETE', `/recipients/${encodeURIComponent(links[1].recipient)}`);
		const afterErasure = await api('GET', `/campaigns/${id}/stats`);
		process.stdout.write(
			JSON.stringify({ fromRollups, fromEvents, ranged, segments, pending: rows[0].n, erased, afterErasure }) + '\n',
		);
	} finally {
		await server.close();
	}
}

main().catch((err) => {
	process.stderr.write(String(err?.stack ?? err) + '\n');
	process.exit(1);
});
