import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const serverEntry = path.resolve(__dirname, '../../server/dist/main.js');

export interface SpawnedServer {
	url: string;
	child: ChildProcess;
	output(): string;
	/** SIGTERM and wait for exit; resolves with the exit code. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs the built server (server/dist/main.js, as `npm start` does) in its own process and waits
 * until its start-up banner names the URL.
 */
export function spawnServer(env: Record<string, string>, timeoutMs = 60_000): Promise<SpawnedServer> {
	const child = spawn(process.execPath, [serverEntry], {
		// REDIRECT_RECORD_LIMIT off: load tests click one code many times from one address.
		env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', REDIRECT_RECORD_LIMIT: '0', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
		const onData = (chunk: Buffer) => {
			out += chunk.toString();
			const match = /ready at (http:\/\/\S+)/.exec(out);
			if (match) {
				clearTimeout(timer);
				resolve({
					url: match[1],
					child,
					output: () => out,
					stop: async (signal = 'SIGTERM') => {
						if (child.exitCode === null) child.kill(signal);
						return exited;
					},
				});
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code} before listening:\n${out}`));
		});
	});
}
