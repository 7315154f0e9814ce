import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiPath } from '../../../server/src/http/openapi';
import { request, startTestServer, type ApiResponse, type TestServer } from '../../support/server';
import { chromeOnAndroid, hit } from '../../support/short-links';
import { openSse } from '../../support/sse';
import { waitFor } from '../../support/wait';

/**
 * The contract: every /api/v1 route is called against a real server on real PostgreSQL, and each
 * answer (status and body) is checked against the OpenAPI document the server itself serves.
 */

interface Operation {
	responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

let server: TestServer;
let document: Document;
let ajv: Ajv2020;
const called = new Set<string>();
const validators = new Map<string, ValidateFunction>();

beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_DISPATCHER: 'off' });
	const res = await request(`${server.url}/api/v1/openapi.json`);
	expect(res.status).toBe(200);
	document = res.body;
	ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
	addFormats(ajv);
	ajv.addSchema(document, 'openapi');
});
afterAll(() => server.close());

const pointer = (...segments: string[]) =>
	segments.map((s) => '/' + encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('');

/** The answer's status is one the document lists for the route (any error: `default`), and its body fits the schema. */
function expectDocumented(method: string, template: string, res: ApiResponse<unknown>, contentType: string | null) {
	const path = openApiPath(template);
	const operation = document.paths[path]?.[method.toLowerCase()];
	if (!operation) throw new Error(`${method} ${template} is not in the document`);
	const status = String(res.status);
	const key = operation.responses[status] ? status : res.status >= 400 ? 'default' : undefined;
	if (!key) throw new Error(`${method} ${template} answered ${status}, which the document does not list`);
	const content = operation.responses[key].content;
	if (!content) {
		expect(res.body).toBeUndefined();
		return;
	}
	const media = contentType?.split(';')[0] ?? '';
	expect(Object.keys(content)).toContain(media);
	if (media !== 'application/json') return;
	const ref = `openapi#${pointer('paths', path, method.toLowerCase(), 'responses', key, 'content', media, 'schema')}`;
	let validate = validators.get(ref);
	if (!validate) validators.set(ref, (validate = ajv.compile({ $ref: ref })));
	if (!validate(res.body)) {
		throw new Error(
			`${method} ${template} → ${status} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 2000)}`,
		);
	}
}

/** Calls a route by its template (":id" filled from `params`) and checks the answer against the document. */
async function call(
	method: string,
	template: string,
	options: { params?: Record<string, string>; query?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<any>> {
	const path = template.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
	const res = await server.api(method, `/api/v1${path}${options.query ? `?${options.query}` : ''}`, options.body, options.headers);
	expectDocumented(method, template, res, res.headers.get('content-type'));
	called.add(`${method} ${template}`);
	return res;
}

const phones = ['+4915100007001', '+4915100007002'];
let campaignId: string;
let code: string;

describe('campaigns, links and messages', () => {
	test('when a campaign is created, read, listed, changed, archived and split, then every answer is the documented one', async () => {
		const created = await call('POST', '/campaigns', {
			body: { name: 'contract', conversionTracking: true, utm: { source: 'sms' }, costPerSegment: 0.07, currency: 'eur' },
		});
		expect(created.status).toBe(201);
		campaignId = created.body.id;
		const params = { id: campaignId };
		expect((await call('POST', '/campaigns', { body: { name: 'contract', ifNameExists: 'return' } })).status).toBe(200);
		expect((await call('GET', '/campaigns', { query: 'limit=1&search=contr' })).body.campaigns).toHaveLength(1);
		expect((await call('GET', '/campaigns/:id', { params })).status).toBe(200);
		expect((await call('PATCH', '/campaigns/:id', { params, body: { fallbackUrl: 'https://shop.example/' } })).status).toBe(200);
		expect((await call('PUT', '/campaigns/:id/variants', { params, body: { variants: [{ name: 'A', text: 'Hi' }, { name: 'B' }], holdout: 0.1 } })).status).toBe(200);
		const rule = { metric: 'ctr', decide: 'afterDuration', decideAfterHours: 24, deadlineAfterHours: 72 };
		expect((await call('PATCH', '/campaigns/:id', { params, body: { abTestRule: rule } })).body.abTestRule).toMatchObject(rule);
		expect((await call('PATCH', '/campaigns/:id', { params, body: { abTestRule: null } })).body.abTestRule).toBeNull();
		expect((await call('POST', '/campaigns/:id/archive', { params })).body.archivedAt).toEqual(expect.any(String));
		expect((await call('POST', '/campaigns/:id/unarchive', { params })).body.archivedAt).toBeNull();
	});

	test('when links are made, messages reported and a link clicked, then the answers are the documented ones', async () => {
		const params = { id: campaignId };
		const links = await call('POST', '/campaigns/:id/links', {
			params,
			body: {
				wave: 'Initial',
				recipients: phones.map((recipient, i) => ({ recipient, urls: ['https://shop.example/p'], variant: i ? 'B' : 'A', metadata: { n: i } })),
			},
		});
		expect(links.status).toBe(200);
		code = links.body.links[0].code;
		const messages = await call('POST', '/campaigns/:id/messages', {
			params,
			body: { messages: phones.map((recipient) => ({ recipient, status: 'sent', provider: 'seven', providerMessageId: `m-${recipient}`, segments: 1 })) },
		});
		expect(messages.body).toEqual({ recorded: 2 });
		expect((await hit(`${server.url}/${code}`, { userAgent: chromeOnAndroid })).status).toBe(302);
	});

	test('when a campaign that does not exist is asked for, then the error answer is the documented one', async () => {
		expect((await call('GET', '/campaigns/:id', { params: { id: 'cmp_missing' } })).status).toBe(404);
		expect((await call('POST', '/campaigns', { body: { name: '' } })).status).toBe(400);
	});
});

describe('evaluations, conversions and events', () => {
	test('when stats, recipients and the winner are asked for, then the answers are the documented ones', async () => {
		const params = { id: campaignId };
		const stats = await call('GET', '/campaigns/:id/stats', { params, query: 'timeZone=Europe/Berlin' });
		expect(stats.status).toBe(200);
		expect((await call('GET', '/campaigns/:id/recipients', { params, query: 'limit=1' })).body.nextCursor).toEqual(expect.any(String));
		const ranged = await call('GET', '/campaigns/:id/recipients', { params, query: 'from=2026-01-01&to=2027-06-01&clicked=false&limit=5' });
		expect(ranged.status).toBe(200);
		expect((await call('POST', '/campaigns/:id/winner', { params, body: { metric: 'ctr', minSamplePerVariant: 1 } })).status).toBe(200);
	});

	test('when KPIs and the CSV reports are asked for, then the answers are the documented ones', async () => {
		const params = { id: campaignId };
		const kpis = await call('GET', '/campaigns/kpis', { query: 'limit=5' });
		expect(kpis.body.campaigns.map((c: { id: string }) => c.id)).toContain(campaignId);
		const byCtr = await call('GET', '/campaigns/kpis', { query: 'sort=ctr&order=asc&status=all&limit=1' });
		expect(byCtr.body.nextCursor).toEqual(expect.any(String));
		const next = await call('GET', '/campaigns/kpis', { query: `sort=ctr&order=asc&status=all&limit=1&cursor=${byCtr.body.nextCursor}` });
		expect(next.status).toBe(200);
		expect(next.body.campaigns.map((c: { id: string }) => c.id)).not.toContain(byCtr.body.campaigns[0].id);
		expect((await call('GET', '/campaigns/kpis', { query: 'sort=clicks' })).status).toBe(400);
		for (const report of ['stats', 'events', 'recipients']) {
			const csv = await call('GET', `/campaigns/:id/${report}.csv`, { params, query: 'timeZone=Europe/Berlin' });
			expect(csv.status).toBe(200);
		}
		expect((await call('GET', '/campaigns/:id/events.csv', { params, query: 'from=2026-12-02&to=2026-12-01' })).status).toBe(400);
		expect((await call('GET', '/campaigns/:id/recipients.csv', { params, query: 'from=2026-01-01&clicked=true' })).status).toBe(200);
	});

	test('when a conversion is reported and the tracking code asked for, then the answers are the documented ones', async () => {
		const conversion = await call('POST', '/conversions', {
			body: { campaignId, recipient: phones[0], name: 'purchase', value: '9.90', currency: 'EUR', idempotencyKey: 'order-1' },
		});
		expect(conversion.status).toBe(201);
		expect((await call('POST', '/conversions', { body: { campaignId, recipient: phones[0], name: 'purchase', idempotencyKey: 'order-1' } })).body.duplicate).toBe(true);
		expect((await call('GET', '/tracking-code', { query: 'name=signup&value=5' })).status).toBe(200);
	});

	test('when the events are listed, then the answer is the documented one', async () => {
		const events = await call('GET', '/campaigns/:id/events', { params: { id: campaignId }, query: 'type=click,conversion&limit=10' });
		expect(events.body.events.map((e: { type: string }) => e.type)).toEqual(['click', 'conversion']);
	});

	test('when the live feed is opened, then it is the documented event stream', async () => {
		const stream = await openSse(`${server.url}/api/v1/campaigns/${campaignId}/live`, { authorization: `Bearer ${server.apiKey}` });
		try {
			expect(stream.status).toBe(200);
			expectDocumented('GET', '/campaigns/:id/live', { status: stream.status, body: undefined, headers: stream.headers }, stream.headers.get('content-type'));
			called.add('GET /campaigns/:id/live');
		} finally {
			stream.close();
		}
	});

	test('when best send times are asked for, then the answer is the documented one', async () => {
		const times = await call('POST', '/send-times', { body: { recipients: phones, campaignId, timeZone: 'Europe/Berlin' } });
		expect(times.body.recipients).toHaveLength(2);
	});
});

describe('webhooks, keys and opt-outs', () => {
	test('when a webhook is subscribed, listed, rotated, its deliveries listed and retried and it is removed, then every answer is the documented one', async () => {
		const created = await call('POST', '/webhooks', {
			body: { url: 'https://n8n.example/webhook/contract', events: ['click', 'conversion'], campaignId, filters: { firstPerRecipient: true } },
		});
		expect(created.status).toBe(201);
		const params = { id: created.body.id };
		expect((await call('GET', '/webhooks', { query: `campaignId=${campaignId}` })).body.webhooks).toHaveLength(1);
		expect((await call('GET', '/webhooks/:id', { params })).status).toBe(200);
		expect((await call('POST', '/webhooks/:id/rotate-secret', { params, body: { overlapSeconds: 60 } })).status).toBe(200);
		// A click after the subscription is queued for it (the dispatcher is off: it stays pending).
		expect((await hit(`${server.url}/${code}`, { userAgent: chromeOnAndroid })).status).toBe(302);
		const deliveries = await waitFor(
			async () => (await call('GET', '/webhooks/:id/deliveries', { params, query: 'status=pending' })).body.deliveries,
			{ what: 'a pending delivery of the click', until: (list: unknown[]) => list.length > 0 },
		);
		const retried = await call('POST', '/webhooks/:id/deliveries/:deliveryId/retry', {
			params: { ...params, deliveryId: deliveries[0].id },
		});
		expect(retried.status).toBe(202);
		const receipt = { params, body: { deliveryId: deliveries[0].id } };
		expect((await call('POST', '/webhooks/:id/receipts', receipt)).status).toBe(201);
		expect((await call('POST', '/webhooks/:id/receipts', receipt)).body.duplicate).toBe(true);
		expect((await call('DELETE', '/webhooks/:id', { params })).status).toBe(204);
	});

	test('when a key is created, listed, asks what it is and is revoked, then every answer is the documented one', async () => {
		const created = await call('POST', '/keys', { body: { name: 'contract', scopes: ['read', 'write'] } });
		expect(created.status).toBe(201);
		expect((await call('GET', '/keys')).body.keys.length).toBeGreaterThan(0);
		const self = await call('GET', '/keys/self', { headers: { authorization: `Bearer ${created.body.key}` } });
		expect(self.body).toEqual({ id: created.body.id, scopes: ['write', 'read'] });
		expect((await call('DELETE', '/keys/:id', { params: { id: created.body.id } })).body.revokedAt).toEqual(expect.any(String));
	});

	test('when numbers are opted out, checked, listed, read and taken off, then every answer is the documented one', async () => {
		expect((await call('POST', '/opt-outs', { body: { phones, reason: 'STOP' } })).status).toBe(201);
		expect((await call('POST', '/opt-outs', { body: { phones: [phones[0]] } })).status).toBe(200);
		expect((await call('POST', '/opt-outs/check', { body: { phones } })).body.optedOut).toHaveLength(2);
		expect((await call('GET', '/opt-outs', { query: 'limit=1' })).body.nextCursor).toEqual(expect.any(String));
		const params = { phone: phones[0] };
		expect((await call('GET', '/opt-outs/:phone', { params })).body.phone).toBe(phones[0]);
		expect((await call('DELETE', '/opt-outs/:phone', { params })).status).toBe(204);
	});

	test("when a wave's send lock is taken, refused to another holder and given back, then every answer is the documented one", async () => {
		const params = { id: campaignId, wave: 'Winner' };
		const taken = await call('POST', '/campaigns/:id/send-locks', { params, body: { wave: 'Winner', holder: 'contract run 1' } });
		expect(taken.status).toBe(201);
		const refused = await call('POST', '/campaigns/:id/send-locks', { params, body: { wave: 'Winner', holder: 'contract run 2' } });
		expect(refused.body.error.code).toBe('send_in_progress');
		expect((await call('DELETE', '/campaigns/:id/send-locks/:wave', { params, query: 'holder=contract%20run%201' })).status).toBe(204);
	});

	test('when a person is erased, and a number nothing is stored about, then the answers are the documented ones', async () => {
		const erased = await call('DELETE', '/recipients/:phone', { params: { phone: phones[1] } });
		expect(erased.body).toMatchObject({ erasureId: expect.any(String), campaigns: 1 });
		const nothing = await call('DELETE', '/recipients/:phone', { params: { phone: '+4915100000099' } });
		expect(nothing.body).toMatchObject({ erasureId: null, campaigns: 0 });
	});

	test('when a campaign is deleted, then the answer is the documented one', async () => {
		const deleted = await call('DELETE', '/campaigns/:id', { params: { id: campaignId }, query: 'confirm=true' });
		expect(deleted.body).toMatchObject({ deleted: true, id: campaignId });
	});
});

test('when the document is asked for without a key, then it is served and documents itself', async () => {
	const res = await request(`${server.url}/api/v1/openapi.json`);
	expect(res.status).toBe(200);
	expectDocumented('GET', '/openapi.json', res, res.headers.get('content-type'));
	called.add('GET /openapi.json');
});

test('when the contract has run, then it has called every route the document describes', () => {
	const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
		Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
	);
	const calledAsDocumented = new Set([...called].map((route) => {
		const [method, template] = route.split(' ');
		return `${method} ${openApiPath(template)}`;
	}));
	expect(documented.filter((route) => !calledAsDocumented.has(route))).toEqual([]);
});
