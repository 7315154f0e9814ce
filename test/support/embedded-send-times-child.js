// Runs in its own Node process (jest's VM cannot load PGlite's ES modules): boots the built server
// on embedded PostgreSQL, stores three clicks of one recipient, prints two send-times answers as
// one JSON line.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { loadConfig } = require('../../server/dist/config');
const { startServer } = require('../../server/dist/server');
const { createLogger } = require('../../server/dist/log');
const { insertEvents } = require('../../server/dist/events/store');

async function main() {
	const key = 'embedded-send-times-key-0123456789';
	const config = loadConfig({
		PORT: '0',
		API_KEY: key,
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sms-emb-send-times-')),
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
		const { id } = await api('POST', '/campaigns', { name: 'embedded send times' });
		// 18:xx in Berlin in winter (UTC+1) and in summer (UTC+2)
		const clicks = ['2026-01-10T17:05:00Z', '2026-07-01T16:20:00Z', '2026-02-01T17:59:00Z'];
		await insertEvents(
			server.db,
			clicks.map((at, i) => ({
				eventKey: `${id}-${i}`,
				type: 'click',
				occurredAt: new Date(at),
				campaignId: id,
				recipient: '+4915100000001',
			})),
		);
		const own = await api('POST', '/send-times', {
			recipients: ['+4915100000001', '+380501234567'],
		});
		const fixed = await api('POST', '/send-times', {
			recipients: ['+4915100000001'],
			timeZone: 'Asia/Kolkata',
		});
		process.stdout.write(JSON.stringify({ own, fixed }) + '\n');
	} finally {
		await server.close();
	}
}

main().catch((err) => {
	process.stderr.write(String(err?.stack ?? err) + '\n');
	process.exit(1);
});
