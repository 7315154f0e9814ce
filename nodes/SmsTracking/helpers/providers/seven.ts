import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import type { Http } from '../../../shared/transport';
import { parseBody, type OutgoingSms, type SentSms } from './types';

export const sevenCredential = 'smsTrackingSevenApi';

export interface SevenOptions {
	from: string;
	label: string;
	foreignId: string;
	/** ISO date-time for a scheduled send; empty: now. */
	delay: string;
}

/** seven.io's return codes (its "success" field) other than 100 (sent). */
const sevenCodes: Record<string, string> = {
	'101': 'sending to at least one recipient failed',
	'201': 'invalid sender (at most 11 alphanumeric or 16 numeric characters)',
	'202': 'invalid recipient number',
	'300': 'missing authentication',
	'301': 'the recipient (to) is missing',
	'304': 'the parameter type is missing',
	'305': 'the text is missing',
	'306': 'invalid sender',
	'401': 'the text is too long',
	'402': 'prevented by the reload lock: this SMS was already sent within the last 180 seconds',
	'403': 'the daily limit for this number is reached',
	'500': 'not enough credit',
	'600': 'the carrier failed to deliver',
	'700': 'unknown error',
	'900': 'authentication failed: check the API key',
	'901': 'invalid message id',
	'902': 'the HTTP API is disabled for this account',
	'903': 'the server IP is not allowed for this API key',
};

/** Sends one SMS with POST /api/sms (form-encoded, JSON answer). */
export async function sendSeven(
	http: Http,
	itemIndex: number,
	sms: OutgoingSms,
	options: SevenOptions,
): Promise<SentSms> {
	const body: IDataObject = { to: sms.to, text: sms.text, json: 1 };
	if (options.from) body.from = options.from;
	if (options.label) body.label = options.label;
	if (options.foreignId) body.foreign_id = options.foreignId;
	if (options.delay) body.delay = String(Math.floor(new Date(options.delay).getTime() / 1000));
	const raw = parseBody(
		await http.request<unknown>(
			sevenCredential,
			{ method: 'POST', url: '/api/sms', body, form: true },
			itemIndex,
		),
	);

	// Errors come as HTTP 200 with a bare return code, or with the code in "success".
	const response = (
		typeof raw === 'object' && raw !== null ? raw : { success: String(raw) }
	) as IDataObject;
	const code = String(response.success ?? '');
	const message = ((response.messages as IDataObject[] | undefined) ?? [])[0];
	if (code !== '100' || !message || message.success === false || !message.id) {
		const reason =
			(message?.error_text as string) || sevenCodes[code] || 'the SMS was not accepted';
		throw new NodeApiError(http.node, response as JsonObject, {
			itemIndex,
			message: `seven.io did not send the SMS (code ${code || 'none'}): ${reason}`,
		});
	}
	return {
		provider: 'seven',
		providerMessageId: String(message.id),
		segments: Number(message.parts) || undefined,
		response,
	};
}
