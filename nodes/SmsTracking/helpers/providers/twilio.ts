import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { Http } from '../../../shared/transport';
import { parseBody, type OutgoingSms, type SentSms } from './types';

export const twilioCredential = 'smsTrackingTwilioApi';

export interface TwilioOptions {
	/** A Twilio phone number or alphanumeric sender (From), or empty with a messaging service. */
	from: string;
	messagingServiceSid: string;
	/** Where Twilio posts status changes; empty: none. */
	statusCallback: string;
	/** A scheduled send (Message Scheduling: only through a messaging service). */
	sendAt?: Date;
}

/** Sends one SMS with POST /2010-04-01/Accounts/{AccountSid}/Messages.json (form-encoded). */
export async function sendTwilio(
	http: Http,
	itemIndex: number,
	sms: OutgoingSms,
	options: TwilioOptions,
): Promise<SentSms> {
	const credentials = await http.credentials(twilioCredential);
	const accountSid = String(credentials.accountSid ?? '').trim();
	if (!options.from && !options.messagingServiceSid) {
		throw new NodeOperationError(http.node, 'Twilio needs a sender or a messaging service SID', {
			itemIndex,
		});
	}
	const body: IDataObject = { To: sms.to, Body: sms.text };
	if (options.messagingServiceSid) body.MessagingServiceSid = options.messagingServiceSid;
	if (options.from) body.From = options.from;
	if (options.statusCallback) body.StatusCallback = options.statusCallback;
	if (options.sendAt) {
		// Twilio reads SendAt as UTC YYYY-MM-DDTHH:MM:SSZ, without fractions of a second
		body.SendAt = options.sendAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
		body.ScheduleType = 'fixed';
	}
	const response = parseBody(
		await http.request<unknown>(
			twilioCredential,
			{
				method: 'POST',
				url: `/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
				body,
				form: true,
			},
			itemIndex,
		),
	) as IDataObject;
	if (typeof response !== 'object' || response === null || typeof response.sid !== 'string') {
		throw new NodeApiError(http.node, { response } as JsonObject, {
			itemIndex,
			message: 'Twilio did not return a message SID',
		});
	}
	if (response.status === 'failed' || response.status === 'undelivered') {
		throw new NodeApiError(http.node, response as JsonObject, {
			itemIndex,
			message: `Twilio did not send the SMS: ${(response.error_message as string) || `error ${response.error_code}`}`,
		});
	}
	return {
		provider: 'twilio',
		providerMessageId: response.sid,
		segments: Number(response.num_segments) || undefined,
		response,
	};
}
