import fc from 'fast-check';
import { seedClick } from '../../support/conversions';
import {
	closeFuzzAgent,
	contentType,
	fuzz,
	fuzzRequestsPerEndpoint,
	fuzzTimeoutMs,
	hostileBody,
	hostileHeaders,
	hostileQuery,
	hostileSegment,
	hostileString,
	type FuzzOutcome,
	type RawRequest,
} from '../../support/fuzz';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let readKey: string;
const known = {
	campaigns: [] as string[],
	webhooks: [] as string[],
	keys: [] as string[],
	clickIds: [] as string[],
	phones: ['+4915112345678', '+12125550100', '4915112345678', '+4915100000001'],
	deliveries: ['1', '0', '-1', '99999999999999999999'],
};

beforeAll(async () => {
	server = await startTestServer({
		// A wrong key slows its client down: each generated request names a client of its own.
		TRUST_PROXY: 'loopback',
		// Subscriptions the fuzz creates must never be called (their URLs are whatever it made up).
		WEBHOOK_DISPATCHER: 'false',
	});
	const clicks = [await seedClick(server), await seedClick(server, { recipient: '+12125550100' })];
	known.campaigns.push(...clicks.map((c) => c.campaignId), 'cmp_unknown000000');
	known.clickIds.push(...clicks.map((c) => c.clickId));
	const hook = await server.api('POST', '/api/v1/webhooks', {
		url: 'http://127.0.0.1:9/hook',
		events: ['click'],
	});
	known.webhooks.push(hook.body.id, 'wh_unknown000000');
	const key = await server.api('POST', '/api/v1/keys', { name: 'fuzz reader', scopes: ['read'] });
	readKey = key.body.secret ?? key.body.key;
	known.keys.push(key.body.id, 'key_unknown00000');
});
afterAll(async () => {
	closeFuzzAgent();
	await server.close();
});

const total = fuzzRequestsPerEndpoint;

function expectNoServerError(outcome: FuzzOutcome) {
	if (process.env.FUZZ_REPORT) console.log(JSON.stringify(outcome));
	expect(outcome.requests).toBeGreaterThanOrEqual(total);
	expect(Object.keys(outcome.byStatus).filter((status) => Number(status) >= 500)).toEqual([]);
}

interface Resource {
	/** Method and path under /api/v1; `:campaign`, `:webhook`, `:key`, `:phone`, `:delivery` are filled in. */
	routes: Array<[string, string]>;
	fields: string[];
	query: string[];
	plausible: fc.Arbitrary<unknown>;
}

const plausibleValues = () =>
	fc.oneof(
		fc.constantFrom(...known.campaigns, ...known.clickIds, ...known.phones),
		fc.constantFrom(
			'click',
			'view',
			'conversion',
			'read',
			'write',
			'admin',
			'webhooks',
			'Reminder',
		),
		fc.constantFrom('https://shop.example/sale', 'http://127.0.0.1:9/hook', 'EUR', 'purchase'),
		fc.constantFrom(
			'2026-11-01T00:00:00Z',
			'Europe/Berlin',
			'ctr',
			'conversionRate',
			'true',
			'false',
		),
		fc.integer({ min: -5, max: 100 }),
		fc.array(fc.constantFrom(...known.phones, 'https://shop.example/a', 'click'), { maxLength: 3 }),
		fc.record(
			{
				recipient: fc.constantFrom(...known.phones),
				urls: fc.array(fc.constantFrom('https://shop.example/a', 'ftp://x', ''), { maxLength: 2 }),
				text: hostileString,
				name: hostileString,
				weight: fc.integer(),
			},
			{ requiredKeys: [] },
		),
	);

/** Requests for one resource: its routes (and, now and then, a method it lacks), with hostile ids, query and body. */
function resourceRequests(resource: Resource): fc.Arbitrary<RawRequest> {
	const segment = (name: string): fc.Arbitrary<string> =>
		({
			':campaign': hostileSegment(known.campaigns),
			':webhook': hostileSegment(known.webhooks),
			':key': hostileSegment(known.keys),
			':phone': hostileSegment(known.phones.map(encodeURIComponent)),
			':delivery': hostileSegment(known.deliveries),
		})[name] ?? fc.constant(name);
	const route = fc
		.constantFrom(...resource.routes)
		.chain(([method, template]) =>
			fc
				.tuple(
					fc.oneof(
						{ weight: 9, arbitrary: fc.constant(method) },
						{ weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
					),
					...template.split('/').map(segment),
				)
				.map(([m, ...parts]) => [m, parts.join('/')] as const),
		);
	const auth = fc.oneof(
		{ weight: 12, arbitrary: fc.constant(`Bearer ${server.apiKey}`) },
		{ weight: 2, arbitrary: fc.constant(`Bearer ${readKey}`) },
		{
			weight: 1,
			arbitrary: fc.constantFrom(
				'',
				'Bearer',
				'Basic abc',
				`Bearer ${'A'.repeat(43)}`,
				`bearer  ${server.apiKey}`,
			),
		},
	);
	return fc
		.record({
			route,
			query: hostileQuery(
				resource.query,
				plausibleValues().map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
			),
			auth,
			client: fc.ipV4(),
			type: fc.oneof(
				{ weight: 6, arbitrary: fc.constant('application/json') },
				{ weight: 1, arbitrary: contentType },
			),
			body: fc.option(hostileBody(resource.fields, plausibleValues()), { freq: 6 }),
			headers: hostileHeaders,
		})
		.map(({ route: [method, path], query, auth, client, type, body, headers }) => ({
			method,
			path: `/api/v1/${path}${query}`,
			headers: {
				...headers,
				// a client of its own (see TRUST_PROXY above), always a valid address
				'x-forwarded-for': client,
				...(auth ? { authorization: auth } : {}),
				...(body !== null ? { 'content-type': type } : {}),
			},
			...(body !== null && method !== 'GET' ? { body } : {}),
		}));
}

const resources: Record<string, Resource> = {
	campaigns: {
		routes: [
			['GET', 'campaigns'],
			['POST', 'campaigns'],
			['GET', 'campaigns/:campaign'],
			['PATCH', 'campaigns/:campaign'],
			['DELETE', 'campaigns/:campaign'],
			['POST', 'campaigns/:campaign/archive'],
			['POST', 'campaigns/:campaign/unarchive'],
			['PUT', 'campaigns/:campaign/variants'],
		],
		fields: [
			'name',
			'conversionTracking',
			'currency',
			'fallbackUrl',
			'variants',
			'holdout',
			'utm',
			'costPerSegment',
			'ifNameExists',
			'status',
		],
		query: ['limit', 'cursor', 'search', 'status', 'createdFrom', 'createdTo', 'force'],
		plausible: plausibleValues(),
	},
	links: {
		routes: [['POST', 'campaigns/:campaign/links']],
		fields: ['recipients', 'expiresAt', 'wave', 'urls', 'recipient', 'variant', 'metadata'],
		query: ['dryRun'],
		plausible: plausibleValues(),
	},
	messages: {
		routes: [['POST', 'campaigns/:campaign/messages']],
		fields: [
			'messages',
			'wave',
			'oncePerRecipient',
			'recipient',
			'text',
			'status',
			'provider',
			'providerMessageId',
			'variant',
			'segments',
			'encoding',
			'error',
			'holdout',
		],
		query: ['wave'],
		plausible: plausibleValues(),
	},
	conversions: {
		routes: [
			['POST', 'conversions'],
			['GET', 'tracking-code'],
		],
		fields: ['clickId', 'campaignId', 'recipient', 'name', 'value', 'currency', 'idempotencyKey'],
		query: ['name', 'value', 'currency', 'campaignId'],
		plausible: plausibleValues(),
	},
	events: {
		routes: [['GET', 'campaigns/:campaign/events']],
		fields: [],
		query: ['type', 'from', 'to', 'recipient', 'wave', 'limit', 'cursor'],
		plausible: plausibleValues(),
	},
	stats: {
		routes: [
			['GET', 'campaigns/:campaign/stats'],
			['POST', 'campaigns/:campaign/winner'],
		],
		fields: ['metric', 'minSamplePerVariant', 'confidence', 'record'],
		query: ['from', 'to', 'timeZone', 'wave'],
		plausible: plausibleValues(),
	},
	recipients: {
		routes: [['GET', 'campaigns/:campaign/recipients']],
		fields: [],
		query: [
			'clicked',
			'viewed',
			'converted',
			'delivered',
			'failed',
			'sent',
			'variant',
			'wave',
			'url',
			'country',
			'deviceType',
			'os',
			'clickedWithinHours',
			'notClickedWithinHours',
			'holdout',
			'status',
			'limit',
			'cursor',
		],
		plausible: plausibleValues(),
	},
	webhooks: {
		routes: [
			['POST', 'webhooks'],
			['GET', 'webhooks'],
			['GET', 'webhooks/:webhook'],
			['DELETE', 'webhooks/:webhook'],
			['POST', 'webhooks/:webhook/rotate-secret'],
			['GET', 'webhooks/:webhook/deliveries'],
			['POST', 'webhooks/:webhook/deliveries/:delivery/retry'],
		],
		fields: [
			'url',
			'events',
			'campaignId',
			'filters',
			'variant',
			'wave',
			'urlContains',
			'conversionName',
			'firstPerRecipient',
			'overlapSeconds',
		],
		query: ['status', 'cursor', 'limit', 'campaignId'],
		plausible: plausibleValues(),
	},
	keys: {
		routes: [
			['POST', 'keys'],
			['GET', 'keys'],
			['GET', 'keys/self'],
			['DELETE', 'keys/:key'],
		],
		fields: ['name', 'scopes'],
		query: ['limit'],
		plausible: plausibleValues(),
	},
	'opt-outs': {
		routes: [
			['POST', 'opt-outs'],
			['POST', 'opt-outs/check'],
			['GET', 'opt-outs'],
			['GET', 'opt-outs/:phone'],
			['DELETE', 'opt-outs/:phone'],
		],
		fields: ['phones', 'reason'],
		query: ['limit', 'cursor'],
		plausible: plausibleValues(),
	},
	'send-times': {
		routes: [['POST', 'send-times']],
		fields: ['recipients', 'timeZone', 'minClicks', 'defaultHour', 'campaignId'],
		query: [],
		plausible: plausibleValues(),
	},
};

describe('when an API resource gets hostile requests, then it never answers 5xx and a rejected request changes nothing', () => {
	for (const [name, resource] of Object.entries(resources))
		test(
			name,
			async () => {
				expectNoServerError(
					await fuzz({ baseUrl: server.url, sql: server.sql }, resourceRequests(resource), {
						total,
					}),
				);
			},
			fuzzTimeoutMs,
		);
});
