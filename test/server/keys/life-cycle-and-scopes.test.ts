import { closeAfterAll } from '../../support/close-after-all';
import { request, startTestServer, type TestServer } from '../../support/server';

const track = closeAfterAll();
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
	a = await track(startTestServer());
	// A second instance on the same database, as behind a load balancer.
	b = await track(startTestServer({ DATABASE_URL: a.databaseUrl }));
});

const as = (server: TestServer, key: string, method: string, path: string, body?: unknown) =>
	request(`${server.url}${path}`, method, body, { authorization: `Bearer ${key}` });

async function newKey(scopes: string[], name = scopes.join('+')) {
	const res = await a.api('POST', '/api/v1/keys', { name, scopes });
	expect(res.status).toBe(201);
	return res.body as { id: string; key: string; name: string; scopes: string[]; prefix: string };
}

describe('key life cycle', () => {
	test('when an admin creates a key, then it works on another instance at once, the list never shows it, and once revoked it fails on both', async () => {
		const created = await newKey(['read'], 'dashboard');
		expect(created).toEqual({
			id: expect.stringMatching(/^key_/),
			name: 'dashboard',
			scopes: ['read'],
			key: expect.stringMatching(/^sk_[A-Za-z0-9_-]{43}$/),
			prefix: created.key.slice(0, 10),
			createdAt: expect.any(String),
			revokedAt: null,
		});
		expect((await as(b, created.key, 'GET', '/api/v1/campaigns')).status).toBe(200);

		const listed = await b.api('GET', '/api/v1/keys');
		const entry = listed.body.keys.find((k: { id: string }) => k.id === created.id);
		expect(entry).toEqual({ ...created, key: undefined });
		expect(JSON.stringify(listed.body)).not.toContain(created.key);
		const [{ key_hash }] = await a.sql<{ key_hash: Buffer }>(
			'SELECT key_hash FROM api_keys WHERE id = $1',
			[created.id],
		);
		expect(key_hash.toString('latin1')).not.toContain(created.key);

		const revoked = await a.api('DELETE', `/api/v1/keys/${created.id}`);
		expect(revoked.status).toBe(200);
		expect(revoked.body.revokedAt).toEqual(expect.any(String));
		for (const server of [a, b]) {
			const res = await as(server, created.key, 'GET', '/api/v1/campaigns');
			expect(res.status).toBe(401);
		}
	});

	test('when a key asks what it is, then it gets its id and scopes, whatever its scopes', async () => {
		const created = await newKey(['webhooks']);
		expect((await as(a, created.key, 'GET', '/api/v1/keys/self')).body).toEqual({
			id: created.id,
			scopes: ['webhooks'],
		});
		expect((await a.api('GET', '/api/v1/keys/self')).body).toEqual({
			id: 'env',
			scopes: ['admin'],
		});
	});

	test.each([
		['no scopes', { name: 'x', scopes: [] }],
		['an unknown scope', { name: 'x', scopes: ['read', 'root'] }],
		['no name', { scopes: ['read'] }],
		['an unknown field', { name: 'x', scopes: ['read'], key: 'sk_mine' }],
	])('when a key is created with %s, then 400 and no key is stored', async (_name, body) => {
		const before = await a.sql('SELECT count(*)::int AS n FROM api_keys');
		const res = await a.api('POST', '/api/v1/keys', body);
		expect(res.status).toBe(400);
		expect(res.body.error).toEqual({ code: expect.any(String), message: expect.any(String) });
		expect(await a.sql('SELECT count(*)::int AS n FROM api_keys')).toEqual(before);
	});

	test('when an unknown key is revoked, then 404', async () => {
		expect((await a.api('DELETE', '/api/v1/keys/key_nope')).status).toBe(404);
	});
});

describe('scope matrix', () => {
	let campaignId: string;
	let keys: Record<string, string>;
	beforeAll(async () => {
		campaignId = (await a.api('POST', '/api/v1/campaigns', { name: 'scoped' })).body.id;
		keys = {};
		for (const scope of ['admin', 'write', 'read', 'webhooks'])
			keys[scope] = (await newKey([scope])).key;
	});

	// One representative route per group, and the scope it needs.
	const routes: Array<[string, string, string, () => unknown]> = [
		['write', 'POST', '/api/v1/campaigns', () => ({ name: 'by scope' })],
		[
			'write',
			'POST',
			'/api/v1/campaigns/:id/links',
			() => ({ recipients: [{ recipient: '+4915112345678', urls: ['https://shop.example/a'] }] }),
		],
		['read', 'GET', '/api/v1/campaigns/:id/stats', () => undefined],
		['read', 'GET', '/api/v1/campaigns/:id/events', () => undefined],
		['webhooks', 'GET', '/api/v1/webhooks', () => undefined],
		['admin', 'GET', '/api/v1/keys', () => undefined],
	];
	const cases = routes.flatMap(([needed, method, path, body]) =>
		['admin', 'write', 'read', 'webhooks'].map(
			(scope) => [scope, method, path, needed, body] as const,
		),
	);

	test.each(cases)(
		'when a %s key calls %s %s (needs %s), then it is served only if it holds that scope or admin',
		async (scope, method, path, needed, body) => {
			const res = await as(a, keys[scope], method, path.replace(':id', campaignId), body());
			if (scope === needed || scope === 'admin') {
				expect(res.status).toBeLessThan(300);
			} else {
				expect(res.status).toBe(403);
				expect(res.body).toEqual({
					error: { code: 'forbidden', message: expect.stringContaining(`"${needed}"`) },
				});
			}
		},
	);

	test('when a read key asks for the A/B verdict, then it gets it, but recording the winner needs write', async () => {
		const ask = (record: boolean) =>
			as(a, keys.read, 'POST', `/api/v1/campaigns/${campaignId}/winner`, { metric: 'ctr', record });
		expect((await ask(false)).status).toBe(200);
		const refused = await ask(true);
		expect(refused.status).toBe(403);
		expect(refused.body.error.message).toContain('"write"');
	});

	test('when the dashboard is used with a read key, then every request it makes is served', async () => {
		// The requests of server/public/dashboard/js (sign-in, list, campaign page, A/B verdict).
		const dashboard: Array<[string, string, unknown?]> = [
			['GET', '/api/v1/campaigns?limit=1'],
			['GET', '/api/v1/campaigns?limit=24'],
			['GET', `/api/v1/campaigns/${campaignId}`],
			['GET', `/api/v1/campaigns/${campaignId}/stats?timeZone=Europe%2FBerlin`],
			['POST', `/api/v1/campaigns/${campaignId}/winner`, { metric: 'ctr' }],
		];
		for (const [method, path, body] of dashboard) {
			expect([method, path, (await as(a, keys.read, method, path, body)).status]).toEqual([
				method,
				path,
				200,
			]);
		}
	});

	test('when a key holds several scopes, then it may use each of their routes', async () => {
		const both = (await newKey(['read', 'write'])).key;
		expect((await as(a, both, 'POST', '/api/v1/campaigns', { name: 'both' })).status).toBe(201);
		expect((await as(a, both, 'GET', `/api/v1/campaigns/${campaignId}/stats`)).status).toBe(200);
		expect((await as(a, both, 'GET', '/api/v1/webhooks')).status).toBe(403);
	});
});
