import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runNode } from '../../support/n8n';
import { startTestServer, type TestServer } from '../../support/server';

// Every request here stays on 127.0.0.1: the refused hop (0.0.0.0) would itself reach this
// machine, so even a broken guard sends nothing beyond it.
let server: TestServer;
let landing: Server;
let base: string;
const hits: string[] = [];
const endless: ServerResponse[] = [];
beforeAll(async () => {
	server = await startTestServer({ PUBLIC_BASE_URL: 'https://go.example' });
	landing = createServer((req, res) => {
		hits.push(req.url ?? '');
		const port = (landing.address() as AddressInfo).port;
		if (req.url === '/ok') res.writeHead(200).end('shop');
		else if (req.url === '/to-unspecified')
			res.writeHead(302, { location: `http://0.0.0.0:${port}/ok` }).end();
		else if (req.url === '/hop') res.writeHead(301, { location: '/to-unspecified' }).end();
		else if (req.url === '/bad-location') res.writeHead(302, { location: 'http://[::1' }).end();
		else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
		else if (req.url === '/endless') {
			// A page whose body never ends: a check that read it would wait for its time limit.
			res.writeHead(200, { 'content-type': 'text/html' });
			res.write('x'.repeat(64 * 1024));
			endless.push(res);
		} else res.writeHead(404).end();
	});
	await new Promise<void>((resolve) => landing.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(landing.address() as AddressInfo).port}`;
});
afterAll(async () => {
	endless.forEach((res) => res.destroy());
	landing.closeAllConnections();
	await new Promise<void>((resolve) => landing.close(() => resolve()));
	await server.close();
});

async function check(paths: string[], baseUrl = server.url) {
	const campaignId = (await server.api('POST', '/api/v1/campaigns', { name: 'guard' })).body.id;
	hits.length = 0;
	const run = await runNode({
		parameters: {
			resource: 'message',
			operation: 'shorten',
			campaignId,
			recipient: '={{ $json.phone }}',
			text: '={{ $json.text }}',
			options: { checkDestinations: 'warn' },
		},
		items: paths.map((path, i) => ({
			phone: `+49151000000${10 + i}`,
			text: `Shop ${base}${path}`,
		})),
		credentials: { smsTrackingApi: { baseUrl, apiKey: server.apiKey } },
	});
	expect(run.error).toBeUndefined();
	return run.outputs[0].map((o) => o.json.warnings as string[]);
}

test('when a redirect leads to a refused address, then that hop is not requested and the item is warned', async () => {
	const [direct, twoHops] = await check(['/to-unspecified', '/hop']);
	expect(direct).toEqual([
		`The destination ${base}/to-unspecified was not requested: its address is never requested (link-local, metadata, multicast or reserved)`,
	]);
	expect(twoHops[0]).toMatch(/^The destination .*\/hop was not requested/);
	expect(hits).not.toContain('/ok');
	expect(hits.filter((h) => h === '/to-unspecified')).toHaveLength(2);
});

test('when redirects go on and on, then the check stops after a few hops', async () => {
	const [warnings] = await check(['/loop']);
	expect(warnings).toEqual([`The destination ${base}/loop redirected more than 5 times`]);
	expect(hits.filter((h) => h === '/loop')).toHaveLength(6);
});

test('when a redirect names no valid URL, then the item is warned and nothing else is requested', async () => {
	const [warnings] = await check(['/bad-location']);
	expect(warnings).toEqual([
		`The destination ${base}/bad-location redirected to an address that is not a URL`,
	]);
	expect(hits).toEqual(['/bad-location']);
});

test('when a page answers 200 with a body that never ends, then the check is done at the status without reading the body', async () => {
	const [warnings] = await check(['/endless']);
	expect(warnings).toEqual([]);
	expect(hits).toEqual(['/endless']);
});

test('when the tracking server is local, then a loopback landing page is checked', async () => {
	const [warnings] = await check(['/ok']);
	expect(warnings).toEqual([]);
	expect(hits).toEqual(['/ok']);
});
