import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { waitFor } from '../../support/wait';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function start(env: Record<string, string>): Promise<TestServer> {
	const server = await startTestServer(env);
	servers.push(server);
	return server;
}

const clicksOn = (server: TestServer, code: string) =>
	server.sql<{ code: string; type: string }>(
		`SELECT code, type FROM events WHERE code = $1 ORDER BY id`,
		[code],
	);

describe('a known code copied with trailing punctuation', () => {
	let server: TestServer;
	let codes: string[];
	beforeAll(async () => {
		server = await start({ FALLBACK_URL: 'https://shop.example/global' });
		({ codes } = await createCampaignWithLinks(server, {}, [
			{ recipient: '+4915112345678', urls: ['https://shop.example/a'] },
			{ recipient: '+4915112345679', urls: ['https://shop.example/b'] },
		]));
	});

	test.each([
		['a closing parenthesis', ')'],
		['a full stop', '.'],
		['a comma', ','],
		['an exclamation mark', '!'],
		['a semicolon', ';'],
		['a parenthesis and a full stop', ').'],
		['several marks', '!!;,.)'],
		['marks and a query string', ').?ref=sms'],
	])(
		'when the link is opened with %s (%s), then it redirects and counts exactly as the code itself',
		async (_name, tail) => {
			const before = (await clicksOn(server, codes[0])).length;
			const res = await hit(`${server.url}/${codes[0]}${tail}`, { userAgent: chromeOnAndroid });
			expect([res.status, res.location]).toEqual([302, 'https://shop.example/a']);
			const rows = await waitFor(() => clicksOn(server, codes[0]), {
				what: `the click on ${codes[0]}${tail} to be stored`,
				until: (r) => r.length === before + 1,
			});
			expect(rows[rows.length - 1]).toEqual({ code: codes[0], type: 'click' });
		},
	);

	test('when a second code of the campaign is opened with punctuation, then it goes to its own destination, not its neighbour', async () => {
		const res = await hit(`${server.url}/${codes[1]}).`, { userAgent: chromeOnAndroid });
		expect([res.status, res.location]).toEqual([302, 'https://shop.example/b']);
	});

	test.each([
		['a truncated code', (code: string) => `/${code.slice(0, -1)}`],
		['a code with one character too many', (code: string) => `/${code}x`],
		['a code followed by a hyphen', (code: string) => `/${code}-`],
		['a code with a trailing slash', (code: string) => `/${code}/`],
		['the root', () => '/'],
		['a stray file', () => '/favicon.ico'],
	])(
		'when %s is opened, then it goes where an unknown code goes (FALLBACK_URL)',
		async (_name, path) => {
			const res = await hit(`${server.url}${path(codes[0])}`, { userAgent: chromeOnAndroid });
			expect([res.status, res.location]).toEqual([302, 'https://shop.example/global']);
		},
	);

	test('when an app path is opened, then the app still answers it (not the fallback)', async () => {
		expect((await hit(`${server.url}/healthz`)).status).toBe(200);
		const res = await hit(`${server.url}/api/v1/nothing-here`);
		expect([res.status, res.location]).toEqual([401, null]);
	});
});

describe('without any fallback', () => {
	test.each([
		['a truncated code', '/Ab3dE7x'],
		['a code of the wrong length', '/Ab3dE7xQZZ'],
		['the root', '/'],
	])('when %s (%s) is opened, then the 404 page answers, not a bare error', async (_name, path) => {
		const server = servers.find((s) => !s.config.fallbackUrl) ?? (await start({}));
		const res = await hit(`${server.url}${path}`, { userAgent: chromeOnAndroid });
		expect(res.status).toBe(404);
		expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(res.body).toContain('Link not found');
	});

	test('when the wrong-length path is asked with HEAD, then the 404 has no body', async () => {
		const server = servers.find((s) => !s.config.fallbackUrl) ?? (await start({}));
		const res = await hit(`${server.url}/Ab3dE7x`, { method: 'HEAD' });
		expect([res.status, res.body]).toEqual([404, '']);
	});
});
