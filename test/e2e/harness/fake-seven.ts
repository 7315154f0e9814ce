import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One SMS as the fake seven.io received it. */
export interface SentSms {
	to: string;
	text: string;
	from?: string;
	label?: string;
	foreignId?: string;
	id: string;
	body: Record<string, unknown>;
}

export interface FakeSeven {
	/** Base URL to put into the seven.io credential (the API lives under /api). */
	url: string;
	apiKey: string;
	sent: SentSms[];
	/** Requests the fake refused (wrong key, bad body), with the reason, so a test can show them. */
	rejected: string[];
	close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let data = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (data += chunk));
		req.on('end', () => resolve(data));
		req.on('error', reject);
	});
}

function parseBody(req: IncomingMessage, raw: string): Record<string, unknown> {
	const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
	if (type === 'application/json') return JSON.parse(raw) as Record<string, unknown>;
	if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
	throw new Error(`unsupported content type "${type}"`);
}

/**
 * A local stand-in for seven.io's SMS endpoint, checking what its public API documents:
 * `POST /api/sms` with the key in `X-Api-Key`, `to` (one or more numbers, comma-separated) and
 * `text` required, `from` at most 11 alphanumeric or 16 numeric characters; the JSON answer has
 * `success: "100"` and one entry per recipient in `messages`.
 */
export async function startFakeSeven(apiKey = 'seven-test-key-0123456789'): Promise<FakeSeven> {
	const sent: SentSms[] = [];
	const rejected: string[] = [];
	let nextId = 77_000_000_001;
	const server: Server = createServer(async (req, res) => {
		const answer = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		// seven.io answers refusals with HTTP 200 and its return code in `success`.
		const refuse = (status: number, reason: string, code: string) => {
			rejected.push(`${req.method} ${req.url}: ${reason}`);
			answer(status, { success: code, messages: [] });
		};
		try {
			const raw = await readBody(req);
			if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/api/sms') return refuse(404, 'not found', '404');
			if (req.headers['x-api-key'] !== apiKey) return refuse(200, 'invalid api key', '900');
			const body = parseBody(req, raw);
			const to = typeof body.to === 'string' ? body.to : '';
			const text = typeof body.text === 'string' ? body.text : '';
			if (!to.trim()) return refuse(200, 'to is required', '301');
			if (!text) return refuse(200, 'text is required', '305');
			const from = typeof body.from === 'string' ? body.from : undefined;
			if (from !== undefined && !(/^[A-Za-z0-9 ]{1,11}$/.test(from) || /^\+?\d{1,16}$/.test(from))) {
				return refuse(200, 'invalid sender', '201');
			}
			const messages = to.split(',').map((recipient) => {
				const id = String(nextId++);
				sent.push({
					to: recipient.trim(),
					text,
					from,
					label: typeof body.label === 'string' ? body.label : undefined,
					foreignId: typeof body.foreign_id === 'string' ? body.foreign_id : undefined,
					id,
					body,
				});
				return {
					id,
					sender: from ?? 'seven',
					recipient: recipient.trim().replace(/^\+/, ''),
					text,
					encoding: 'gsm',
					label: body.label ?? null,
					parts: Math.max(1, Math.ceil(text.length / 153)),
					price: 0.075,
					success: true,
					error: null,
					error_text: null,
				};
			});
			answer(200, {
				success: '100',
				total_price: 0.075 * messages.length,
				balance: 100,
				debug: 'false',
				sms_type: 'direct',
				messages,
			});
		} catch (err) {
			refuse(400, (err as Error).message, '700');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		apiKey,
		sent,
		rejected,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
