'use strict';
// Stops what the end-to-end harness started when the test process is gone without cleaning up
// (killed, crashed, interrupted): started detached by the harness, it watches the test process
// and, once that is gone, stops every process group listed in the groups file (SIGTERM, then
// SIGKILL). A missing groups file means the harness cleaned up itself: the watchdog just exits.
// Usage: node watchdog.js <test process id> <groups file>
const fs = require('node:fs');

const [parentPid, groupsFile] = [Number(process.argv[2]), process.argv[3]];

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

function groups() {
	try {
		return fs.readFileSync(groupsFile, 'utf8').split('\n').map(Number).filter((n) => Number.isInteger(n) && n > 1);
	} catch {
		return undefined;
	}
}

function signalAll(list, signal) {
	for (const pgid of list) {
		try {
			process.kill(-pgid, signal);
		} catch {
			// Already gone.
		}
	}
}

const timer = setInterval(() => {
	if (groups() === undefined) process.exit(0);
	if (alive(parentPid)) return;
	clearInterval(timer);
	const list = groups() ?? [];
	signalAll(list, 'SIGTERM');
	setTimeout(() => {
		signalAll(list, 'SIGKILL');
		fs.rmSync(groupsFile, { force: true });
		process.exit(0);
	}, 5000);
}, 500);
