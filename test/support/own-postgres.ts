import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where Debian puts PostgreSQL's server binaries (the newest installed version); POSTGRES_BIN overrides. */
export const postgresBin =
	process.env.POSTGRES_BIN ||
	(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [])
		.filter((version) => /^\d+$/.test(version))
		.sort((a, b) => Number(b) - Number(a))
		.map((version) => `/usr/lib/postgresql/${version}/bin`)
		.find((dir) => existsSync(path.join(dir, 'pg_ctl')));

export interface OwnPostgres {
	url: string;
	/** Fast shutdown: open connections are cut, new ones refused. */
	stop(): Promise<void>;
	start(): Promise<void>;
	/** The postmaster's PID (to hang it with SIGSTOP). */
	pid(): number;
	/** Stops it (if running) and deletes its files. */
	destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

/**
 * A PostgreSQL server of the test's own (initdb in a temp folder, its own port), so a test can
 * stop and start it while the tracking server runs. PostgreSQL refuses to run as root, so as root
 * the commands run as the postgres user.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
	if (!postgresBin) throw new Error('PostgreSQL server binaries not found (set POSTGRES_BIN)');
	const root = process.getuid?.() === 0;
	const dir = mkdtempSync(path.join(tmpdir(), 'sms-own-pg-'));
	const data = path.join(dir, 'data');
	const port = await freePort();
	if (root) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		chownSync(dir, uid, gid);
		chmodSync(dir, 0o700);
	}
	// Asynchronous, so that an in-process server goes on answering while PostgreSQL stops or starts.
	const run = async (bin: string, args: string[]) => {
		const file = path.join(postgresBin, bin);
		const [cmd, argv] = root ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
		await promisify(execFile)(cmd, argv, { timeout: 60_000 });
	};
	await run('initdb', [
		'-D',
		data,
		'-U',
		'postgres',
		'-A',
		'trust',
		'--no-sync',
		'-E',
		'UTF8',
		'--locale=C',
	]);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=50`;
	let running = false;
	const start = async () => {
		await run('pg_ctl', [
			'-D',
			data,
			'-o',
			options,
			'-l',
			path.join(dir, 'log'),
			'-w',
			'-t',
			'60',
			'start',
		]);
		running = true;
	};
	const stop = async () => {
		await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
		running = false;
	};
	await start();
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		start,
		stop,
		pid: () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
		async destroy() {
			try {
				if (running) await stop();
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		},
	};
}
