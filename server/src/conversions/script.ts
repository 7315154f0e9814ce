import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface TrackingScript {
	body: Buffer;
	/** Content hash: /t.js?v=<version> may be cached for a year. */
	version: string;
	etag: string;
}

/**
 * The conversion script as built: server/dist/public/t.js (minified by gulp) when running from
 * dist; the readable source beside this file when running from source (tests, ts-node).
 */
export function loadTrackingScript(candidates = [path.join(__dirname, '..', 'public', 't.js'), path.join(__dirname, 't.src.js')]): TrackingScript {
	const file = candidates.find((candidate) => existsSync(candidate));
	if (!file) throw new Error(`the conversion script is missing (looked for ${candidates.join(', ')}); run the build`);
	const body = readFileSync(file);
	const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
	return { body, version, etag: `"${version}"` };
}
