import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { writeSyncedTemporary } from '../shared/secret-file';

/** Another live process holds the data folder. */
export class DataDirLocked extends Error {}

const lockName = 'lock';

function holder(file: string): number | undefined {
	try {
		const pid = Number(readFileSync(file, 'utf8').trim());
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw err;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function refuse(dataDir: string, pid: number): never {
	throw new DataDirLocked(
		`The data folder ${dataDir} is in use by another server (PID ${pid}). Each server needs its own DATA_DIR; stop the other one or start this one with another DATA_DIR.`,
	);
}

/**
 * Removes a lock left by a process that is gone. It is first renamed away (atomic, so of two
 * processes taking over at once only one gets it) and read again there: if a live process had
 * locked the folder in between, its lock is put back and this process refuses.
 */
function takeOver(file: string, dataDir: string): void {
	const aside = `${file}.stale.${process.pid}.${randomBytes(6).toString('hex')}`;
	try {
		renameSync(file, aside);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw err;
	}
	const pid = holder(aside);
	if (pid !== undefined && pid !== process.pid && alive(pid)) {
		try {
			linkSync(aside, file);
		} catch (err) {
			// Another process locked it meanwhile: refusing is right either way.
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		} finally {
			unlinkSync(aside);
		}
		refuse(dataDir, pid);
	}
	unlinkSync(aside);
}

/**
 * Locks DATA_DIR for this process: a file `lock` holding the PID, created atomically
 * (writeSyncedTemporary, then hard-linked to its name, which fails if the name exists).
 * Two processes on one folder would write and delete each other's journal segments and open the
 * same embedded database. A lock whose process is gone (a crash) is taken over. Returns release().
 */
export function lockDataDir(dataDir: string): () => void {
	const file = path.join(dataDir, lockName);
	const temporary = writeSyncedTemporary(dataDir, lockName, `${process.pid}\n`);
	try {
		for (let attempt = 0; ; attempt++) {
			try {
				linkSync(temporary, file);
				break;
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
				const pid = holder(file);
				if (pid !== undefined && pid !== process.pid && alive(pid)) {
					refuse(dataDir, pid);
				}
				takeOver(file, dataDir);
			}
		}
	} finally {
		unlinkSync(temporary);
	}
	let released = false;
	return () => {
		if (released) return;
		released = true;
		if (holder(file) === process.pid) unlinkSync(file);
	};
}
