import {
	isValidTwilioSignature,
	twilioOutcome,
	twilioSignature,
} from '../../../server/src/delivery-reports/twilio';
import { parseSevenReport, sevenOutcome } from '../../../server/src/delivery-reports/seven';

// The example of Twilio's security documentation.
const docs = {
	token: '12345',
	url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
	params: {
		CallSid: 'CA1234567890ABCDE',
		Caller: '+14158675310',
		Digits: '1234',
		From: '+14158675310',
		To: '+18005551212',
	},
	signature: 'GvWf1cFY/Q7PnoempGyD5oXAezc=',
};

describe('Twilio request signature', () => {
	test("when computed for the documentation's example, then it equals the documented signature", () => {
		expect(twilioSignature(docs.token, docs.url, docs.params)).toBe(docs.signature);
	});

	test('when a parameter, the URL or the token differs, then the signature is rejected', () => {
		expect(isValidTwilioSignature(docs.signature, [docs.token], [docs.url], docs.params)).toBe(
			true,
		);
		expect(
			isValidTwilioSignature(docs.signature, [docs.token], [docs.url], {
				...docs.params,
				Digits: '1235',
			}),
		).toBe(false);
		expect(
			isValidTwilioSignature(
				docs.signature,
				[docs.token],
				['https://mycompany.com/myapp.php'],
				docs.params,
			),
		).toBe(false);
		expect(isValidTwilioSignature(docs.signature, ['54321'], [docs.url], docs.params)).toBe(false);
		expect(isValidTwilioSignature('', [docs.token], [docs.url], docs.params)).toBe(false);
	});

	test('when one of several tokens or URLs matches, then it is accepted', () => {
		expect(
			isValidTwilioSignature(
				docs.signature,
				['other', docs.token],
				['https://x.example/', docs.url],
				docs.params,
			),
		).toBe(true);
	});

	test.each([
		['delivered', 'delivered'],
		['read', 'delivered'],
		['undelivered', 'failed'],
		['failed', 'failed'],
		['sent', undefined],
		['queued', undefined],
	])('when Twilio reports %s, then the outcome is %s', (status, outcome) => {
		expect(twilioOutcome(status)).toBe(outcome);
	});
});

describe('seven.io delivery report parsing', () => {
	test('when the webhook event shape arrives, then msg_id, status and time are read', () => {
		expect(
			parseSevenReport({
				webhook_event: 'dlr',
				webhook_timestamp: '2026-11-23 10:00:00',
				data: { msg_id: '77120512345', status: 'DELIVERED', status_time: '2026-11-23 10:00:05' },
			}),
		).toEqual({
			msgId: '77120512345',
			status: 'DELIVERED',
			occurredAt: new Date('2026-11-23T10:00:05'),
		});
	});

	test('when the plain callback shape arrives, then it is read too', () => {
		expect(
			parseSevenReport({ msg_id: 77120512345, status: 'notdelivered', timestamp: '1795462298' }),
		).toMatchObject({ msgId: '77120512345', status: 'NOTDELIVERED' });
	});

	test('when msg_id or status is missing, then it is not a report', () => {
		expect(parseSevenReport({ data: { status: 'DELIVERED' } })).toBeUndefined();
		expect(parseSevenReport({ msg_id: '1' })).toBeUndefined();
		expect(parseSevenReport('x')).toBeUndefined();
	});

	test.each([
		['DELIVERED', 'delivered'],
		['NOTDELIVERED', 'failed'],
		['REJECTED', 'failed'],
		['EXPIRED', 'failed'],
		['BUFFERED', undefined],
		['TRANSMITTED', undefined],
	])('when seven.io reports %s, then the outcome is %s', (status, outcome) => {
		expect(sevenOutcome(status)).toBe(outcome);
	});
});
