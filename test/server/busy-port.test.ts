import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnServer } from '../support/spawn-server';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'sms-busy-port-'));

test('when the port is already taken, then a second server exits 1 naming the port and how to pick another, without a stack trace', async () => {
	const first = await spawnServer({ DATA_DIR: dataDir() });
	try {
		const port = new URL(first.url).port;
		const failure = await spawnServer({ DATA_DIR: dataDir(), PORT: port }, 20_000).then(
			(second) => second.stop().then(() => new Error('the second server started')),
			(err: Error) => err,
		);
		expect(failure.message).toContain('server exited with 1 before listening');
		expect(failure.message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
		expect(failure.message).toContain(`PORT=${Number(port) + 1} npm start`);
		expect(failure.message).not.toMatch(/^\s+at /m);
	} finally {
		await first.stop();
	}
});
