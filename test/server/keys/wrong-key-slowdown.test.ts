import { request, startTestServer, testApiKey, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	// The test's requests all come from 127.0.0.1; the proxy header tells the server which client each is.
	server = await startTestServer({ TRUST_PROXY: 'loopback' });
});
afterAll(() => server.close());

const attempt = (client: string, key: string) =>
	request(`${server.url}/api/v1/campaigns`, 'GET', undefined, {
		authorization: `Bearer ${key}`,
		'x-forwarded-for': client,
	});
const wrongKey = 'sk_' + 'A'.repeat(43);

test('when one client keeps presenting wrong keys, then after a few it is refused with a wait that doubles each time, its right key waits too, and other clients are not affected', async () => {
	const client = '2001:db8:1:2::10';
	const answers = [];
	for (let i = 0; i < 10; i++) answers.push(await attempt(client, wrongKey));

	expect(answers.slice(0, 5).map((res) => res.status)).toEqual([401, 401, 401, 401, 401]);
	expect(answers.slice(5).map((res) => res.status)).toEqual([429, 429, 429, 429, 429]);
	expect(answers[5].body.error.code).toBe('too_many_failures');
	expect(answers.slice(5).map((res) => Number(res.headers.get('retry-after')))).toEqual([
		1, 2, 4, 8, 16,
	]);

	// While it waits, even the right key is not looked at (it would tell a guesser it guessed right),
	// and so is every address of the same /64.
	expect((await attempt(client, testApiKey)).status).toBe(429);
	expect((await attempt('2001:db8:1:2::ffff', testApiKey)).status).toBe(429);

	// Another client, and another /64, are served.
	expect((await attempt('2001:db8:1:3::10', testApiKey)).status).toBe(200);
	expect((await attempt('192.0.2.44', testApiKey)).status).toBe(200);
});
