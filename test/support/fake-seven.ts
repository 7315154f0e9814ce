import { randomInt } from 'node:crypto';
import { startJsonServer } from './fake-json-server';

/**
 * A local stand-in for seven.io's SMS gateway that checks requests the way its public API
 * documents them: POST /api/sms with the API key in X-Api-Key, form-encoded (or JSON) parameters
 * to, text, from, label, foreign_id, delay, json; it answers with seven's JSON (success "100",
 * messages[] with id, parts, success) or, like seven, with a bare return code (900: bad key).
 */
export interface SevenSms {
	to: string;
	text: string;
	from?: string;
	label?: string;
	foreign_id?: string;
	delay?: string;
	id: string;
}

export interface FakeSeven {
	url: string;
	apiKey: string;
	received: SevenSms[];
	/** Requests the fake refused as not matching the documented API (a test should expect none). */
	violations: string[];
	/** Recipients (as sent) for which seven answers with this return code instead of sending. */
	failFor: Map<string, string>;
	/** When set, each SMS is answered only once this resolves (a send held in flight). */
	holdAnswers: Promise<void> | null;
	close(): Promise<void>;
}

const allowed = [
	'to',
	'text',
	'from',
	'label',
	'foreign_id',
	'delay',
	'json',
	'flash',
	'ttl',
	'udh',
	'performance_tracking',
];

export async function startFakeSeven(apiKey = 'seven-test-key-0123456789'): Promise<FakeSeven> {
	const received: SevenSms[] = [];
	const violations: string[] = [];
	const failFor = new Map<string, string>();
	const fake = { holdAnswers: null as Promise<void> | null };
	const server = await startJsonServer(async ({ req, path, body, json }) => {
		const violation = (message: string) => {
			violations.push(message);
			json(400, { violation: message });
		};
		if (req.headers['x-api-key'] !== apiKey) return json(200, 900);
		if (req.method === 'GET' && path === '/api/balance')
			return json(200, { amount: 12.34, currency: 'EUR' });
		if (req.method !== 'POST' || path !== '/api/sms')
			return violation(`unexpected ${req.method} ${path}`);

		const type = String(req.headers['content-type'] ?? '');
		let params: Record<string, string>;
		if (type.startsWith('application/x-www-form-urlencoded'))
			params = Object.fromEntries(new URLSearchParams(body));
		else if (type.startsWith('application/json')) params = JSON.parse(body);
		else return violation(`content-type ${type} is neither form nor JSON`);
		const unknown = Object.keys(params).filter((k) => !allowed.includes(k));
		if (unknown.length) return violation(`unknown parameter(s) ${unknown.join(', ')}`);
		if (!params.to) return json(200, 301);
		if (!params.text) return json(200, 305);
		if (params.from !== undefined && !/^(?:[A-Za-z0-9 .-]{1,11}|\+?\d{1,16})$/.test(params.from))
			return json(200, 201);
		for (const key of ['label', 'foreign_id'] as const) {
			if (params[key] !== undefined && !/^[A-Za-z0-9.\-_@]{1,64}$/.test(params[key]))
				return violation(`${key} has characters seven.io does not allow`);
		}
		if (
			params.delay !== undefined &&
			!/^\d{10}$|^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(params.delay)
		)
			return violation('delay must be a Unix timestamp or yyyy-mm-dd hh:ii');
		if (String(params.json) !== '1') return violation('json=1 is required for a JSON answer');

		if (fake.holdAnswers) await fake.holdAnswers;
		const code = failFor.get(params.to);
		if (code) {
			return json(200, {
				success: code,
				total_price: 0,
				balance: 12.34,
				debug: 'false',
				sms_type: 'direct',
				messages: [
					{
						id: null,
						sender: params.from ?? 'seven',
						recipient: params.to.replace(/^\+/, ''),
						text: params.text,
						encoding: 'gsm',
						label: null,
						parts: 1,
						price: 0,
						success: false,
						error: code,
						error_text: 'Invalid recipient number',
					},
				],
			});
		}
		const id = String(randomInt(10_000_000_000, 99_999_999_999));
		received.push({ ...params, to: params.to, text: params.text, id });
		return json(200, {
			success: '100',
			total_price: 0.075,
			balance: 12.265,
			debug: 'false',
			sms_type: 'direct',
			messages: [
				{
					id,
					sender: params.from ?? 'seven',
					recipient: params.to.replace(/^\+/, ''),
					text: params.text,
					encoding: 'gsm',
					label: params.label ?? null,
					parts: 1,
					price: 0.075,
					success: true,
					error: null,
					error_text: null,
				},
			],
		});
	});
	return Object.assign(fake, {
		url: server.url,
		apiKey,
		received,
		violations,
		failFor,
		close: server.close,
	});
}
