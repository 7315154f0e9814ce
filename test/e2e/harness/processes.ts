import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A process this harness started in its own process group, stopped by that group's id. */
export interface Started {
	name: string;
	pid: number;
	child: ChildProcess;
	logFile: string;
	/** Everything the process printed so far (kept in memory too, for readiness checks and errors). */
	output(): string;
	exited(): boolean;
	/** Resolves with the exit code (null after a signal) once the process has exited. */
	exit(): Promise<number | null>;
	/** SIGTERM to the whole group, then SIGKILL after graceMs; resolves when the leader has exited. */
	stop(graceMs?: number): Promise<void>;
}

const running = new Set<Started>();
let groupsFile: string | undefined;

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// The group is already gone.
	}
}

/**
 * The process groups still running are listed in a file that a detached watchdog reads when the
 * test process is gone without cleaning up (killed, crashed, interrupted): it then stops them.
 */
function recordGroups(logDir: string): void {
	if (!groupsFile) {
		groupsFile = path.join(logDir, 'process-groups');
		writeFileSync(groupsFile, '');
		spawn(process.execPath, [path.join(__dirname, 'watchdog.js'), String(process.pid), groupsFile], {
			detached: true,
			stdio: 'ignore',
		}).unref();
	}
	writeFileSync(groupsFile, [...running].map((s) => s.pid).join('\n'));
}

/** Called when the harness stopped everything itself: the watchdog sees the file gone and exits. */
export function releaseWatchdog(): void {
	if (groupsFile) rmSync(groupsFile, { force: true });
	groupsFile = undefined;
}

export function startProcess(options: {
	name: string;
	command: string;
	args: string[];
	env: NodeJS.ProcessEnv;
	cwd?: string;
	logDir: string;
}): Started {
	mkdirSync(options.logDir, { recursive: true });
	const logFile = path.join(options.logDir, `${options.name}.log`);
	const log = createWriteStream(logFile, { flags: 'a' });
	log.on('error', () => undefined); // a log that cannot be written must not end the run
	const child = spawn(options.command, options.args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		// Its own process group, so n8n's task runners and any other children stop with it.
		detached: true,
	});
	if (child.pid === undefined) throw new Error(`could not start ${options.name}`);
	let out = '';
	const onData = (chunk: Buffer) => {
		out += chunk.toString();
		if (out.length > 2_000_000) out = out.slice(-1_000_000);
		if (!log.writableEnded) log.write(chunk);
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	let exitedFlag = false;
	const exitPromise = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => {
			exitedFlag = true;
			resolve(code);
		}),
	);
	const started: Started = {
		name: options.name,
		pid: child.pid,
		child,
		logFile,
		output: () => out,
		exited: () => exitedFlag,
		exit: () => exitPromise,
		stop: async (graceMs = 15_000) => {
			if (!exitedFlag) {
				killGroup(child.pid!, 'SIGTERM');
				const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
				if ((await Promise.race([exitPromise, timer])) === 'timeout') killGroup(child.pid!, 'SIGKILL');
				await exitPromise;
			}
			// Children that ignored SIGTERM (or outlived their leader) go too.
			killGroup(child.pid!, 'SIGKILL');
			running.delete(started);
			if (groupsFile) writeFileSync(groupsFile, [...running].map((s) => s.pid).join('\n'));
			log.end();
		},
	};
	running.add(started);
	recordGroups(options.logDir);
	return started;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs: number,
	intervalMs = 250,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) return value as T;
		} catch (err) {
			lastError = err;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}
