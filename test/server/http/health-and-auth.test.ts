import { request, startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

describe('health', () => {
	test('when the process runs, then /healthz answers 200', async () => {
		const res = await request(`${server.url}/healthz`);
		expect(res.status).toBe(200);
	});

	test('when the database answers, then /readyz answers 200', async () => {
		const res = await request(`${server.url}/readyz`);
		expect(res.status).toBe(200);
	});
});

describe('API key', () => {
	test('when no Authorization header is sent, then 401 with the error shape', async () => {
		const res = await request(`${server.url}/api/v1/campaigns/cmp_x`);
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
	});

	test.each([
		['a wrong key', 'Bearer wrong-key-0123456789abcdef'],
		['a key one character short', `Bearer ${'test-api-key-0123456789abcde'}`],
		['a key with a suffix', `Bearer test-api-key-0123456789abcdefX`],
		['the right key with another scheme', 'Basic test-api-key-0123456789abcdef'],
	])('when %s is sent, then 401', async (_name, header) => {
		const res = await request(`${server.url}/api/v1/campaigns`, 'POST', { name: 'x' }, { authorization: header });
		expect(res.status).toBe(401);
		expect(res.body.error.code).toBe('unauthorized');
	});

	test('when the right key is sent, then the API answers', async () => {
		const res = await server.api('POST', '/api/v1/campaigns', { name: 'auth ok' });
		expect(res.status).toBe(201);
	});

	test('when keys are rotated (comma-separated), then each key is accepted', async () => {
		const rotated = await startTestServer({ API_KEY: 'old-key-0123456789abcdef,new-key-0123456789abcdef' });
		try {
			for (const key of ['old-key-0123456789abcdef', 'new-key-0123456789abcdef']) {
				const res = await request(`${rotated.url}/api/v1/campaigns`, 'POST', { name: 'r' }, { authorization: `Bearer ${key}` });
				expect(res.status).toBe(201);
			}
		} finally {
			await rotated.close();
		}
	});
});

describe('unknown routes', () => {
	test('when an API route does not exist, then 404 JSON', async () => {
		const res = await server.api('GET', '/api/v1/nothing-here');
		expect(res.status).toBe(404);
		expect(res.body.error.code).toBe('not_found');
	});
});
