import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface TrackingScript {
	body: Buffer;
	/** Content hash: /t.js?v=<version> may be cached for a year. */
	version: string;
	etag: string;
}

const source = path.join(__dirname, 't.src.js');

/**
 * Where the script is: server/dist/public/t.js (minified by gulp) when running from dist. Running
 * from source (tests), the built file too when it is at least as new as its source, so tests
 * exercise what ships; else the readable source itself.
 */
function defaultCandidates(): string[] {
	const besideDist = path.join(__dirname, '..', 'public', 't.js');
	const fromSource = path.join(__dirname, '..', '..', 'dist', 'public', 't.js');
	const fresh = existsSync(source) && existsSync(fromSource) && statSync(fromSource).mtimeMs >= statSync(source).mtimeMs;
	return [besideDist, ...(fresh ? [fromSource] : []), source];
}

export function loadTrackingScript(candidates = defaultCandidates()): TrackingScript {
	const file = candidates.find((candidate) => existsSync(candidate));
	if (!file) throw new Error(`the conversion script is missing (looked for ${candidates.join(', ')}); run the build`);
	const body = readFileSync(file);
	const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
	return { body, version, etag: `"${version}"` };
}
