// Child processes for the benchmarks: each server runs in its own process, like in production.
const { spawn } = require('node:child_process');

/** Starts `node file ...args` and resolves with its URL once it prints `listening <port>` or `ready at <url>`. */
function startProcess(file, args = [], env = {}) {
	const child = spawn(process.execPath, [file, ...args], {
		env: { PATH: process.env.PATH ?? '', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${file} did not start:\n${out}`)), 60_000);
		const onData = (chunk) => {
			out += chunk.toString();
			const port = /listening (\d+)/.exec(out);
			const url = /ready at (http:\/\/\S+)/.exec(out);
			if (port || url) {
				clearTimeout(timer);
				child.stdout.removeAllListeners('data');
				child.stderr.removeAllListeners('data');
				child.stdout.resume();
				child.stderr.resume();
				resolve({
					url: url ? url[1] : `http://127.0.0.1:${port[1]}`,
					child,
					stop: () =>
						new Promise((done) => {
							if (child.exitCode !== null) return done(child.exitCode);
							child.once('exit', (code) => done(code));
							child.kill('SIGTERM');
						}),
				});
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${file} exited with ${code}:\n${out}`));
		});
	});
}

module.exports = { startProcess };
