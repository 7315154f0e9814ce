import fc from 'fast-check';
import { seedClick } from '../../support/conversions';
import {
	closeFuzzAgent,
	contentType,
	encodePart,
	fuzz,
	fuzzRequestsPerEndpoint,
	fuzzTimeoutMs,
	hostileBody,
	hostileHeaders,
	hostileQuery,
	hostileSegment,
	hostileString,
	twilioSignature,
	type FuzzOutcome,
	type RawRequest,
	wellFormed,
} from '../../support/fuzz';
import { startTestServer, type TestServer } from '../../support/server';

const twilioToken = 'twilio-auth-token-0123456789abcdef';
const sevenToken = 'seven-webhook-token-0123456789';

let server: TestServer;
let codes: string[];
let clickIds: string[];
const sids = ['SM' + 'a'.repeat(32), 'SMfuzz0001'];
const sevenIds = ['77001', '77002'];

beforeAll(async () => {
	server = await startTestServer({
		TWILIO_AUTH_TOKEN: twilioToken,
		SEVEN_WEBHOOK_TOKEN: sevenToken,
		TRUST_PROXY: 'loopback',
		// The fuzz sends thousands of reports from one address: the limiter would answer all but the
		// first with 429 and the fuzz would test nothing behind it (the limiter has tests of its own).
		COLLECT_RATE_LIMIT: '1000000',
		// Nothing expires while the fuzz checks that rejected requests leave every row as it was.
		PENDING_CONVERSION_TTL_SECONDS: '86400',
	});
	const clicks = [await seedClick(server), await seedClick(server, { recipient: '+12125550100' })];
	codes = clicks.map((c) => c.code);
	clickIds = clicks.map((c) => c.clickId);
	const campaignId = clicks[0].campaignId;
	await server.api('POST', `/api/v1/campaigns/${campaignId}/messages`, {
		messages: [
			{
				recipient: clicks[0].recipient,
				provider: 'twilio',
				providerMessageId: sids[0],
				status: 'sent',
			},
			{
				recipient: clicks[1].recipient,
				provider: 'seven',
				providerMessageId: sevenIds[0],
				status: 'sent',
			},
		],
	});
});
afterAll(async () => {
	closeFuzzAgent();
	await server.close();
});

const target = () => ({ baseUrl: server.url, sql: server.sql });
const total = fuzzRequestsPerEndpoint;

function expectNoServerError(outcome: FuzzOutcome) {
	if (process.env.FUZZ_REPORT) console.log(JSON.stringify(outcome));
	expect(outcome.requests).toBeGreaterThanOrEqual(total);
	expect(Object.keys(outcome.byStatus).filter((status) => Number(status) >= 500)).toEqual([]);
}

const method = (...methods: string[]) => fc.constantFrom(...methods);

test(
	'when the redirect gets hostile paths, methods and headers, then it never answers 5xx and a refused request stores nothing',
	async () => {
		const request: fc.Arbitrary<RawRequest> = fc
			.record({
				method: method('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
				code: fc.oneof(
					{ weight: 1, arbitrary: fc.constantFrom(...codes) },
					{ weight: 6, arbitrary: hostileSegment(['abc', 'ABCDEFG', '0000000', 'a'.repeat(300)]) },
				),
				rest: fc.option(hostileSegment(['', 'x', 'favicon.ico']), { nil: undefined }),
				query: hostileQuery(
					['sms_cid', 'utm_source', 'dnt', 'preview'],
					fc.constantFrom(...clickIds),
				),
				headers: hostileHeaders,
			})
			.map((r) => ({
				method: r.method,
				path: `/${r.code}${r.rest === undefined ? '' : `/${r.rest}`}${r.query}`,
				headers: r.headers,
			}));
		expectNoServerError(await fuzz(target(), request, { total }));
	},
	fuzzTimeoutMs,
);

const conversionFields = ['clickId', 'name', 'value', 'currency', 'idempotencyKey'];
const plausibleConversion = () =>
	fc.oneof(
		fc.constantFrom(...clickIds),
		fc.constantFrom('purchase', 'signup', 'EUR', 'usd', 'XXX', 'ORDER-1'),
		fc.double({ min: -1e20, max: 1e20, noNaN: true }),
	);

test(
	'when /collect gets hostile conversion reports, then it never answers 5xx and a refused report stores nothing',
	async () => {
		const request: fc.Arbitrary<RawRequest> = fc
			.record({
				method: method('POST', 'POST', 'POST', 'POST', 'GET', 'OPTIONS', 'PUT'),
				query: hostileQuery(['clickId']),
				type: fc.constantFrom('text/plain', 'application/json', 'text/plain;charset=UTF-8'),
				otherType: contentType,
				useOther: fc.boolean(),
				body: hostileBody(conversionFields, plausibleConversion()),
				headers: hostileHeaders,
			})
			.map((r) => ({
				method: r.method,
				path: `/collect${r.query}`,
				headers: { ...r.headers, 'content-type': r.useOther ? r.otherType : r.type },
				body: r.body,
			}));
		expectNoServerError(await fuzz(target(), request, { total }));
	},
	fuzzTimeoutMs,
);

test(
	'when the pixel gets hostile query strings, then it never answers 5xx and a refused hit stores nothing',
	async () => {
		const request: fc.Arbitrary<RawRequest> = fc
			.record({
				method: method('GET', 'GET', 'GET', 'HEAD', 'POST'),
				query: hostileQuery(
					['sms_cid', ...conversionFields],
					plausibleConversion().map((v) => String(v)),
				),
				headers: hostileHeaders,
			})
			.map((r) => ({ method: r.method, path: `/c.gif${r.query}`, headers: r.headers }));
		expectNoServerError(await fuzz(target(), request, { total }));
	},
	fuzzTimeoutMs,
);

/** Form parameters, signed as Twilio signs them most of the time, so the fuzz reaches past the check. */
function twilioCallback(path: string, fields: string[], plausible: fc.Arbitrary<string>) {
	const params = fc.dictionary(
		fc.oneof(
			{ weight: 5, arbitrary: fc.constantFrom(...fields) },
			{ weight: 1, arbitrary: hostileString },
		),
		fc.oneof(plausible, hostileString),
		{ maxKeys: fields.length + 1 },
	);
	return fc
		.record({
			params,
			repeated: fc.oneof(
				{ weight: 8, arbitrary: fc.constant(undefined) },
				{ weight: 1, arbitrary: fc.constantFrom(...fields) },
			),
			query: fc.oneof(
				{ weight: 4, arbitrary: fc.constant('') },
				{ weight: 1, arbitrary: hostileQuery(['x']) },
			),
			signature: fc.oneof(
				{ weight: 4, arbitrary: fc.constant('valid') },
				{ weight: 1, arbitrary: fc.constantFrom('', 'AAAA', '=', 'x'.repeat(500)) },
			),
			type: fc.oneof(
				{ weight: 5, arbitrary: fc.constant('application/x-www-form-urlencoded') },
				{ weight: 1, arbitrary: contentType },
			),
			raw: fc.oneof(
				{ weight: 8, arbitrary: fc.constant(undefined) },
				{ weight: 1, arbitrary: hostileBody(fields) },
			),
			headers: hostileHeaders,
		})
		.map((r): RawRequest => {
			const form = Object.entries(r.params)
				.map(([k, v]) => `${encodePart(k)}=${encodePart(v)}`)
				.concat(r.repeated ? [`${r.repeated}=again`, `${r.repeated}=${encodePart('[]')}`] : [])
				.join('&');
			const signed = Object.fromEntries(
				Object.entries(r.params).map(([k, v]) => [wellFormed(k), wellFormed(v)]),
			);
			const url = `${server.url}${path}${r.query}`;
			return {
				method: 'POST',
				path: `${path}${r.query}`,
				headers: {
					...r.headers,
					'content-type': r.type,
					'x-twilio-signature':
						r.signature === 'valid' ? twilioSignature(twilioToken, url, signed) : r.signature,
				},
				body: r.raw ?? form,
			};
		});
}

/** A seven.io callback: the token right most of the time, a JSON (or form) body. */
function sevenCallback(path: string, fields: string[], plausible: fc.Arbitrary<unknown>) {
	return fc
		.record({
			token: fc.oneof(
				{ weight: 5, arbitrary: fc.constant(`token=${sevenToken}`) },
				{
					weight: 1,
					arbitrary: fc.constantFrom(
						'',
						'token=',
						'token=x',
						`token=${sevenToken}&token=x`,
						`token[]=${sevenToken}`,
					),
				},
			),
			extra: hostileQuery(['token', 'msg_id']),
			body: fc.oneof(
				{ weight: 3, arbitrary: hostileBody(fields, plausible) },
				{
					weight: 3,
					arbitrary: fc
						.record({
							webhook_event: fc.oneof(fc.constantFrom('dlr', 'sms_mo'), hostileString),
							data: hostileBody(fields, plausible),
						})
						.map(
							({ webhook_event, data }) =>
								`{"webhook_event":${JSON.stringify(webhook_event)},"data":${data}}`,
						),
				},
			),
			type: fc.oneof(
				{ weight: 5, arbitrary: fc.constant('application/json') },
				{ weight: 1, arbitrary: contentType },
			),
			headers: hostileHeaders,
		})
		.map(
			(r): RawRequest => ({
				method: 'POST',
				path: `${path}?${r.token}${r.extra.replace('?', '&')}`,
				headers: { ...r.headers, 'content-type': r.type },
				body: r.body,
			}),
		);
}

test(
	'when Twilio delivery reports come hostile, then the endpoint never answers 5xx and a refused report changes nothing',
	async () => {
		const request = twilioCallback(
			'/delivery-reports/twilio',
			['MessageSid', 'SmsSid', 'MessageStatus', 'ErrorCode', 'AccountSid'],
			fc.constantFrom(...sids, 'delivered', 'read', 'failed', 'undelivered', 'sent', '30003'),
		);
		expectNoServerError(await fuzz(target(), request, { total }));
	},
	fuzzTimeoutMs,
);

test(
	'when seven.io delivery reports come hostile, then the endpoint never answers 5xx and a refused report changes nothing',
	async () => {
		const request = sevenCallback(
			'/delivery-reports/seven',
			['msg_id', 'id', 'status', 'dlr', 'status_time', 'timestamp', 'webhook_timestamp'],
			fc.oneof(
				fc.constantFrom(
					...sevenIds,
					'DELIVERED',
					'NOTDELIVERED',
					'REJECTED',
					'2026-11-29 12:00:00',
					'1764417600',
				),
				fc.integer(),
				fc.double(),
			),
		);
		expectNoServerError(await fuzz(target(), request, { total }));
	},
	fuzzTimeoutMs,
);

test(
	'when inbound SMS come hostile from Twilio, then the endpoint never answers 5xx and a refused one changes nothing',
	async () => {
		const request = twilioCallback(
			'/inbound-sms/twilio',
			['From', 'Body', 'To', 'MessageSid', 'AccountSid', 'OptOutType'],
			fc.constantFrom(
				'+4915100000001',
				'4915100000002',
				'STOP',
				'stop',
				'START',
				'Unsubscribe',
				'HELP',
				'Hi',
			),
		);
		expectNoServerError(await fuzz(target(), request, { total }));
	},
	fuzzTimeoutMs,
);

test(
	'when inbound SMS come hostile from seven.io, then the endpoint never answers 5xx and a refused one changes nothing',
	async () => {
		const request = sevenCallback(
			'/inbound-sms/seven',
			['sender', 'text', 'system', 'id', 'time', 'message_type'],
			fc.constantFrom('+4915100000001', '4915100000002', 'STOP', 'stop', 'START', 'Hi'),
		);
		expectNoServerError(await fuzz(target(), request, { total }));
	},
	fuzzTimeoutMs,
);
