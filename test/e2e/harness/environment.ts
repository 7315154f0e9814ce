import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeSeven, type FakeSeven } from '../../support/fake-seven';
import { N8n, type Installed } from './n8n';
import { releaseWatchdog } from './processes';
import { installCommunityPackage } from './package';
import { startReceiver, type Receiver } from './receiver';
import { startTrackingServer, type TrackingServer } from './tracking-server';

/** Everything one run of the scenarios talks to; all of it local, all of it stopped by stop(). */
export interface Environment {
	runDir: string;
	n8n: N8n;
	tracking: TrackingServer;
	seven: FakeSeven;
	receiver: Receiver;
	/** Credential references by credential type, for the workflows' `credentials` fields. */
	credentials: Record<string, { id: string; name: string }>;
	stop(): Promise<void>;
}

function settings(): { installed: Installed; tarball: string } {
	const raw = process.env.SMS_TRACKING_E2E;
	if (!raw) throw new Error('run the end-to-end tests with `npm run test:e2e` (its global setup installs n8n and packs the package)');
	return JSON.parse(raw);
}

/** Removes run folders of earlier runs (older than an hour), so /tmp does not fill up. */
function freshRunDir(): string {
	const parent = path.join(os.tmpdir(), 'n8n-nodes-sms-tracking-e2e');
	mkdirSync(parent, { recursive: true });
	for (const name of readdirSync(parent)) {
		const dir = path.join(parent, name);
		try {
			if (Date.now() - statSync(dir).mtimeMs > 3_600_000) rmSync(dir, { recursive: true, force: true });
		} catch {
			// Another run's folder that went away meanwhile.
		}
	}
	const dir = path.join(parent, `run-${Date.now().toString(36)}-${process.pid}`);
	mkdirSync(dir, { recursive: true });
	return dir;
}

/** `trackingEnv`: extra settings of the tracking server (see startTrackingServer). */
export async function startEnvironment(options: { trackingEnv?: Record<string, string> } = {}): Promise<Environment> {
	const { installed, tarball } = settings();
	const runDir = freshRunDir();
	const logDir = path.join(runDir, 'logs');
	const stops: Array<() => Promise<void>> = [];
	const stop = async () => {
		for (const fn of stops.reverse()) await fn().catch(() => undefined);
		stops.length = 0;
		releaseWatchdog();
	};
	try {
		const seven = await startFakeSeven();
		stops.push(seven.close);
		const receiver = await startReceiver();
		stops.push(receiver.close);
		const tracking = await startTrackingServer(logDir, options.trackingEnv);
		stops.push(tracking.stop);

		const n8n = await N8n.create(installed, path.join(runDir, 'n8n'), logDir);
		installCommunityPackage(installed, n8n.nodesFolder, tarball);
		stops.push(() => n8n.stop());
		await n8n.start();
		await n8n.setUpOwnerAndApiKey();

		const credentials: Environment['credentials'] = {
			smsTrackingApi: await n8n.createCredential('SMS Tracking account', 'smsTrackingApi', {
				baseUrl: tracking.url,
				apiKey: tracking.apiKey,
			}),
			smsTrackingSevenApi: await n8n.createCredential('seven.io account', 'smsTrackingSevenApi', {
				apiKey: seven.apiKey,
				baseUrl: seven.url,
			}),
		};
		process.stderr.write(`[e2e] n8n ${n8n.url}, tracking server ${tracking.url}, logs in ${logDir}\n`);
		return { runDir, n8n, tracking, seven, receiver, credentials, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}
