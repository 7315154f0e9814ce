import { randomBytes } from 'node:crypto';
import { startJsonServer } from './fake-json-server';

/**
 * A local stand-in for Twilio's REST API that checks requests as its public docs describe them:
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth with the Account SID and
 * Auth Token (or an API key SID and secret), form-encoded To, Body, From or MessagingServiceSid,
 * StatusCallback; answers 201 with the message resource (sid SM…, status queued), and errors as
 * {code, message, more_info, status}. Message Scheduling as documented: ScheduleType must be
 * `fixed` (35126) and comes with SendAt (35111), SendAt is UTC `YYYY-MM-DDTHH:MM:SSZ` between 900
 * seconds and 35 days ahead (35114), and only a Messaging Service schedules (35118); a scheduled
 * message answers with status `scheduled`.
 */
export interface TwilioSms {
	To: string;
	Body: string;
	From?: string;
	MessagingServiceSid?: string;
	StatusCallback?: string;
	SendAt?: string;
	ScheduleType?: string;
	sid: string;
	authUser: string;
}

export interface FakeTwilio {
	url: string;
	accountSid: string;
	authToken: string;
	apiKeySid: string;
	apiKeySecret: string;
	received: TwilioSms[];
	violations: string[];
	/** Recipients for which Twilio answers 400 with error 21211. */
	invalidNumbers: Set<string>;
	close(): Promise<void>;
}

const allowed = [
	'To',
	'Body',
	'From',
	'MessagingServiceSid',
	'StatusCallback',
	'ValidityPeriod',
	'SendAt',
	'ScheduleType',
	'MediaUrl',
];
const error = (code: number, message: string, status: number) => ({
	code,
	message,
	more_info: `https://www.twilio.com/docs/errors/${code}`,
	status,
});

/** Twilio's Message Scheduling rules; undefined when the request is not scheduled or valid. */
function scheduleError(params: Record<string, string>) {
	if (params.ScheduleType === undefined && params.SendAt === undefined) return undefined;
	if (params.ScheduleType !== 'fixed')
		return error(35126, 'The ScheduleType value provided is not supported for this channel', 400);
	if (!params.SendAt) return error(35111, 'SendAt timestamp is missing', 400);
	if (!params.MessagingServiceSid)
		return error(35118, 'MessagingServiceSid is required to schedule a message', 400);
	const seconds = (Date.parse(params.SendAt) - Date.now()) / 1000;
	if (
		!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(params.SendAt) ||
		!(seconds >= 900 && seconds <= 35 * 86_400)
	)
		return error(
			35114,
			'SendAt time must be between 900 seconds and 35 days (3024000 seconds) in the future, inclusive',
			400,
		);
	return undefined;
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
	const accountSid = 'AC' + randomBytes(16).toString('hex');
	const authToken = randomBytes(16).toString('hex');
	const apiKeySid = 'SK' + randomBytes(16).toString('hex');
	const apiKeySecret = randomBytes(16).toString('base64url');
	const received: TwilioSms[] = [];
	const violations: string[] = [];
	const invalidNumbers = new Set<string>();
	const server = await startJsonServer(({ req, path, body, json }) => {
		const violation = (message: string) => {
			violations.push(message);
			json(400, error(20001, `test server: ${message}`, 400));
		};
		const match = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''));
		const [user, password] = match
			? Buffer.from(match[1], 'base64').toString('utf8').split(':')
			: [];
		const authorised =
			(user === accountSid && password === authToken) ||
			(user === apiKeySid && password === apiKeySecret);
		if (!authorised) return json(401, error(20003, 'Authenticate', 401));
		if (req.method === 'GET' && path === `/2010-04-01/Accounts/${accountSid}.json`)
			return json(200, { sid: accountSid, status: 'active' });
		const messages = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
		if (req.method !== 'POST' || !messages)
			return json(404, error(20404, 'The requested resource was not found', 404));
		if (messages[1] !== accountSid)
			return json(404, error(20404, 'The requested resource was not found', 404));
		if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
			return violation('Twilio takes form-encoded bodies');
		const params = Object.fromEntries(new URLSearchParams(body));
		const unknown = Object.keys(params).filter((k) => !allowed.includes(k));
		if (unknown.length) return violation(`unknown parameter(s) ${unknown.join(', ')}`);
		if (!params.To) return json(400, error(21604, "A 'To' phone number is required.", 400));
		if (!params.Body && !params.MediaUrl)
			return json(400, error(21602, 'Message body is required.', 400));
		if (!params.From && !params.MessagingServiceSid)
			return json(400, error(21603, "A 'From' phone number is required.", 400));
		if (params.MessagingServiceSid && !/^MG[0-9a-f]{32}$/.test(params.MessagingServiceSid))
			return json(400, error(21701, 'The Messaging Service Sid is invalid.', 400));
		if (params.StatusCallback && !/^https?:\/\//.test(params.StatusCallback))
			return json(400, error(21609, 'Invalid StatusCallback url', 400));
		const scheduling = scheduleError(params);
		if (scheduling) return json(400, scheduling);
		if (invalidNumbers.has(params.To))
			return json(
				400,
				error(21211, `The 'To' number ${params.To} is not a valid phone number.`, 400),
			);
		const sid = 'SM' + randomBytes(16).toString('hex');
		received.push({ ...params, To: params.To, Body: params.Body, sid, authUser: user });
		return json(201, {
			sid,
			account_sid: accountSid,
			to: params.To,
			from: params.From ?? null,
			messaging_service_sid: params.MessagingServiceSid ?? null,
			body: params.Body,
			status: params.SendAt
				? 'scheduled'
				: params.MessagingServiceSid && !params.From
					? 'accepted'
					: 'queued',
			num_segments: '1',
			num_media: '0',
			direction: 'outbound-api',
			api_version: '2010-04-01',
			price: null,
			error_code: null,
			error_message: null,
			date_created: new Date().toUTCString(),
			uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
		});
	});
	return {
		url: server.url,
		accountSid,
		authToken,
		apiKeySid,
		apiKeySecret,
		received,
		violations,
		invalidNumbers,
		close: server.close,
	};
}
