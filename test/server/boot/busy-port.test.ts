import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../support/env';
import { serverEntry, spawnServer } from '../../support/spawn-server';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'sms-busy-port-'));
const children: ChildProcess[] = [];
afterAll(() => children.filter((c) => c.exitCode === null).forEach((c) => c.kill('SIGKILL')));

/** Runs the built server (as `npm start` does) until it exits; its exit code and all it printed. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
	const child = spawn(process.execPath, [serverEntry], {
		env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.push(child);
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

test('when the port is already taken, then a second server exits 1 naming the port and how to pick another, without a stack trace', async () => {
	const databaseUrl = await createTestDatabase();
	const first = await spawnServer({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir() });
	try {
		const port = new URL(first.url).port;
		const second = await runToExit({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir(), PORT: port });
		expect(second.code).toBe(1);
		expect(second.output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
		expect(second.output).toContain(`PORT=${Number(port) + 1} npm start`);
		expect(second.output).not.toMatch(/^\s+at /m);
		// The first server was not disturbed.
		expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
	} finally {
		await first.stop();
	}
});
