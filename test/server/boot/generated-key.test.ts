import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../support/env';
import { spawnServer } from '../../support/spawn-server';

test('when the server generates its API key, then the first start prints it once and later starts only say where it is', async () => {
	const env = {
		DATABASE_URL: await createTestDatabase(),
		DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'sms-generated-key-')), 'data'),
	};
	const first = await spawnServer(env);
	await first.stop();
	const key = readFileSync(path.join(env.DATA_DIR, 'api-key'), 'utf8').trim();
	expect(first.output()).toContain(`API key:       ${key}   (shown this once`);

	const second = await spawnServer(env);
	try {
		expect(second.output()).not.toContain(key);
		expect(second.output()).toContain(`API key:       in ${env.DATA_DIR}/api-key`);
		// The key still works: it was kept, not replaced.
		const res = await fetch(`${second.url}/api/v1/campaigns`, {
			headers: { authorization: `Bearer ${key}` },
		});
		expect(res.status).toBe(200);
	} finally {
		await second.stop();
	}
});
