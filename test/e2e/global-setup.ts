import os from 'node:os';
import path from 'node:path';
import { ensureInstalled } from './harness/install';
import { buildAndPack } from './harness/package';

/**
 * Before any scenario: the pinned n8n on Node 24 (cached outside the clone, installed once per
 * version) and this package, built and packed as it would be published.
 */
export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const installed = ensureInstalled();
	// A folder of this run's own: the clean-up of earlier runs removes folders older than an hour,
	// and a shared one whose mtime did not move when the tarball was overwritten would go too.
	const tarball = buildAndPack(
		path.join(os.tmpdir(), 'n8n-nodes-sms-tracking-e2e', `package-${Date.now().toString(36)}-${process.pid}`),
	);
	process.env.SMS_TRACKING_E2E = JSON.stringify({ installed, tarball });
	process.stderr.write(`\n[e2e] n8n installed and package packed in ${Math.round((Date.now() - started) / 1000)} s\n`);
}
