import { randomBytes } from 'node:crypto';
import {
	closeSync,
	fsyncSync,
	linkSync,
	mkdirSync,
	openSync,
	readFileSync,
	statSync,
	unlinkSync,
	writeSync,
} from 'node:fs';
import path from 'node:path';

/** A secret file other users of the machine may read or change: the server will not use it. */
export class InsecureSecretFile extends Error {}

export interface SecretFile {
	value: string;
	file: string;
	/** Whether this call created the file (so the secret may be shown once, now). */
	created: boolean;
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Refuses a secret file whose mode lets group or others in. The file grants whatever the secret
 * grants (the API key: everything), and a server that starts anyway would keep a possibly leaked
 * secret in use without anyone noticing; the fix is one command, named in the message.
 */
function checkPermissions(file: string): void {
	const mode = statSync(file).mode & 0o777;
	if (mode & 0o077) {
		throw new InsecureSecretFile(
			`${file} can be read or changed by other users (mode ${mode.toString(8).padStart(4, '0')}); restrict it with: chmod 600 ${file}`,
		);
	}
}

function read(file: string): SecretFile | undefined {
	try {
		checkPermissions(file);
		return { value: readFileSync(file, 'utf8').trim(), file, created: false };
	} catch (err) {
		if (isMissing(err)) return undefined;
		throw err;
	}
}

/**
 * Writes `content` to a new temporary file of mode 0600 beside `name` in `dir` (made 0700 if
 * missing) and syncs it: the first half of an atomic create, whose second half hard-links it to
 * its name (which fails rather than replace a file another process made) and unlinks it.
 */
export function writeSyncedTemporary(dir: string, name: string, content: string): string {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const temporary = path.join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
	const fd = openSync(temporary, 'wx', 0o600);
	try {
		writeSync(fd, content);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	return temporary;
}

/**
 * A secret kept in a file of the data folder: read when it exists, else created once with
 * `create`, so a restart keeps it. Creation is atomic: the secret is written and synced to a
 * temporary file of mode 0600 in the same folder, then hard-linked to its name, which fails rather
 * than replace a file another process created meanwhile (that one's secret is then used). No
 * reader ever sees a half-written file. A folder the server creates gets mode 0700.
 */
export function readOrCreateSecret(
	dataDir: string,
	name: string,
	create: () => string,
): SecretFile {
	const file = path.join(dataDir, name);
	const existing = read(file);
	if (existing) return existing;

	const value = create();
	const temporary = writeSyncedTemporary(dataDir, name, value + '\n');
	try {
		linkSync(temporary, file);
		return { value, file, created: true };
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		const winner = read(file);
		if (!winner) throw err;
		return winner;
	} finally {
		unlinkSync(temporary);
	}
}
