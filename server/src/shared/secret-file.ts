import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A secret kept in a file of the data folder (mode 0600): read when it exists, else created once
 * with `create` and written, so a restart keeps it.
 */
export function readOrCreateSecret(dataDir: string, name: string, create: () => string): string {
	const file = path.join(dataDir, name);
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	mkdirSync(dataDir, { recursive: true });
	const secret = create();
	writeFileSync(file, secret + '\n', { mode: 0o600 });
	return secret;
}
