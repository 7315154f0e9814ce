import { parseExposition } from '../../support/prometheus';
import { request, startTestServer, type TestServer } from '../../support/server';

const token = 'metrics-token-0123456789abcdef';

describe('with METRICS_TOKEN', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer({ METRICS_TOKEN: token });
	});
	afterAll(() => server.close());

	test('when /metrics is asked without the token, then it answers 401 with the error shape and no metrics', async () => {
		const res = await request(`${server.url}/metrics`);
		expect(res.status).toBe(401);
		expect(res.body).toEqual({
			error: { code: 'unauthorized', message: expect.stringContaining('METRICS_TOKEN') },
		});
	});

	test('when /metrics is asked with a wrong token, or with the API key, then it answers 401', async () => {
		for (const presented of [`${token}x`, token.slice(0, -1), server.apiKey]) {
			const res = await request(`${server.url}/metrics`, 'GET', undefined, {
				authorization: `Bearer ${presented}`,
			});
			expect([presented, res.status]).toEqual([presented, 401]);
		}
	});

	test('when /metrics is asked with the token, then it answers the exposition', async () => {
		const res = await request<string>(`${server.url}/metrics`, 'GET', undefined, {
			authorization: `Bearer ${token}`,
		});
		expect(res.status).toBe(200);
		expect(parseExposition(res.body).types.get('sms_tracking_redirects_total')).toBe('counter');
	});
});

describe('with METRICS_PORT', () => {
	let server: TestServer;
	let metricsUrl: string;
	beforeAll(async () => {
		server = await startTestServer({ METRICS_PORT: '0', METRICS_TOKEN: token });
		metricsUrl = `http://127.0.0.1:${server.metricsPort}`;
	});
	afterAll(() => server.close());

	test('when METRICS_PORT is set, then /metrics answers on that port of the same host, with the token, and nothing else does', async () => {
		expect(server.metricsPort).toBeGreaterThan(0);
		expect(server.metricsPort).not.toBe(server.port);
		const res = await request<string>(`${metricsUrl}/metrics`, 'GET', undefined, {
			authorization: `Bearer ${token}`,
		});
		expect(res.status).toBe(200);
		expect(parseExposition(res.body).types.get('sms_tracking_redirects_total')).toBe('counter');
		expect((await request(`${metricsUrl}/metrics`)).status).toBe(401);
		const other = await request(`${metricsUrl}/healthz`);
		expect([other.status, other.body.error?.code]).toEqual([404, 'not_found']);
	});

	test('when METRICS_PORT is set, then the main port does not serve /metrics', async () => {
		const res = await request(`${server.url}/metrics`, 'GET', undefined, {
			authorization: `Bearer ${token}`,
		});
		expect([res.status, res.body.error?.code]).toEqual([404, 'not_found']);
		expect((await request(`${server.url}/healthz`)).status).toBe(200);
	});
});

describe('a code length that matches the path', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer({ CODE_LENGTH: '7' });
	});
	afterAll(() => server.close());

	test('when codes are 7 characters long like "metrics", then /metrics is still the exposition, never a short code', async () => {
		const res = await request<string>(`${server.url}/metrics`);
		expect(res.status).toBe(200);
		expect(parseExposition(res.body).types.get('sms_tracking_redirects_total')).toBe('counter');
	});
});
