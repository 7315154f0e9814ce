import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let campaignId: string;
beforeAll(async () => {
	server = await startTestServer({ BODY_LIMIT: '64kb' });
	campaignId = (await server.api('POST', '/api/v1/campaigns', { name: 'bad input' })).body.id;
});
afterAll(() => server.close());

async function counts() {
	const [row] = await server.sql('SELECT (SELECT count(*) FROM campaigns)::int AS campaigns, (SELECT count(*) FROM links)::int AS links');
	return row;
}

const link = (recipient: unknown, url: unknown) => ({ recipients: [{ recipient: '+4915112345678', urls: ['https://ok.example/'] }, { recipient, urls: [url] }] });

const cases: Array<[string, string, string, unknown, number, string]> = [
	['invalid JSON', 'POST', '/api/v1/campaigns', '{"name": ', 400, 'invalid_json'],
	['a body that is an array', 'POST', '/api/v1/campaigns', [1, 2], 400, 'invalid_request'],
	['a missing name', 'POST', '/api/v1/campaigns', {}, 400, 'invalid_request'],
	['a name of the wrong type', 'POST', '/api/v1/campaigns', { name: 42 }, 400, 'invalid_request'],
	['conversionTracking as a string', 'POST', '/api/v1/campaigns', { name: 'x', conversionTracking: 'yes' }, 400, 'invalid_request'],
	['an unknown field', 'POST', '/api/v1/campaigns', { name: 'x', colour: 'red' }, 400, 'invalid_request'],
	['a javascript: fallback URL', 'POST', '/api/v1/campaigns', { name: 'x', fallbackUrl: 'javascript:alert(1)' }, 400, 'invalid_url'],
	['an unknown currency', 'POST', '/api/v1/campaigns', { name: 'x', costPerSegment: 0.07, currency: 'XYZ' }, 400, 'invalid_request'],
	['a negative cost', 'POST', '/api/v1/campaigns', { name: 'x', costPerSegment: -1, currency: 'EUR' }, 400, 'invalid_request'],
	['one variant only', 'POST', '/api/v1/campaigns', { name: 'x', variants: [{ name: 'A' }] }, 400, 'invalid_request'],
	['a javascript: destination', 'POST', 'LINKS', link('+4915112345679', 'javascript:alert(document.cookie)'), 400, 'invalid_url'],
	['a data: destination', 'POST', 'LINKS', link('+4915112345679', 'data:text/html,<script>alert(1)</script>'), 400, 'invalid_url'],
	['a relative destination', 'POST', 'LINKS', link('+4915112345679', '/login'), 400, 'invalid_url'],
	['a protocol-relative destination', 'POST', 'LINKS', link('+4915112345679', '//evil.example/'), 400, 'invalid_url'],
	['a destination with credentials', 'POST', 'LINKS', link('+4915112345679', 'https://user:pw@evil.example/'), 400, 'invalid_url'],
	['a number as destination', 'POST', 'LINKS', link('+4915112345679', 12), 400, 'invalid_url'],
	['letters as phone number', 'POST', 'LINKS', link('call me', 'https://ok.example/'), 400, 'invalid_phone'],
	['a too short phone number', 'POST', 'LINKS', link('+49151', 'https://ok.example/'), 400, 'invalid_phone'],
	['a national number without default country', 'POST', 'LINKS', link('015112345678', 'https://ok.example/'), 400, 'invalid_phone'],
	['a country code starting with 0', 'POST', 'LINKS', link('+0123456789', 'https://ok.example/'), 400, 'invalid_phone'],
	['recipients not an array', 'POST', 'LINKS', { recipients: 'all' }, 400, 'invalid_request'],
	['no recipients', 'POST', 'LINKS', { recipients: [] }, 400, 'invalid_request'],
	['urls missing', 'POST', 'LINKS', { recipients: [{ recipient: '+4915112345678' }] }, 400, 'invalid_request'],
	['an unknown variant', 'POST', 'LINKS', { recipients: [{ recipient: '+4915112345678', urls: ['https://ok.example/'], variant: 'Z' }] }, 400, 'invalid_request'],
	['a malformed expiresAt', 'POST', 'LINKS', { recipients: [{ recipient: '+4915112345678', urls: ['https://ok.example/'] }], expiresAt: 'tomorrow' }, 400, 'invalid_request'],
	['a path segment that is not percent-encoding', 'POST', '/api/v1/campaigns/%zz/links', { recipients: [{ recipient: '+4915112345678', urls: ['https://ok.example/'] }] }, 400, 'invalid_path'],
	['a path segment cut inside its percent-encoding', 'DELETE', '/api/v1/opt-outs/%', undefined, 400, 'invalid_path'],
	['a NUL character in an id', 'GET', '/api/v1/campaigns/%00/stats', undefined, 400, 'invalid_text'],
	['an unknown campaign', 'POST', '/api/v1/campaigns/cmp_unknown/links', { recipients: [{ recipient: '+4915112345678', urls: ['https://ok.example/'] }] }, 404, 'campaign_not_found'],
];

test.each(cases)('when the request has %s, then it is rejected with a clear error and nothing is written', async (_name, method, path, body, status, code) => {
	const before = await counts();
	const res = await server.api(method, path === 'LINKS' ? `/api/v1/campaigns/${campaignId}/links` : path, body);
	expect(res.status).toBe(status);
	expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
	expect(await counts()).toEqual(before);
});

test('when the body is larger than the limit, then 413 and nothing is written', async () => {
	const before = await counts();
	const recipients = Array.from({ length: 2000 }, (_, i) => ({ recipient: `+49151${String(i).padStart(8, '0')}`, urls: ['https://ok.example/'] }));
	const res = await server.api('POST', `/api/v1/campaigns/${campaignId}/links`, { recipients });
	expect(res.status).toBe(413);
	expect(res.body.error.code).toBe('body_too_large');
	expect(await counts()).toEqual(before);
});

test('when the error message names the bad element, then the user can find it', async () => {
	const res = await server.api('POST', `/api/v1/campaigns/${campaignId}/links`, link('+4915112345679', 'ftp://files.example/'));
	expect(res.body.error.message).toContain('recipients[1].urls[0]');
});
