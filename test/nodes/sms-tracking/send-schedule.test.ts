import type { INodeParameters } from 'n8n-workflow';
import { storeEvents } from '../../support/events';
import { startFakeSeven, type FakeSeven } from '../../support/fake-seven';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';
import { runNode } from '../../support/n8n';
import {
	newCampaign,
	phoneItems,
	sendParameters,
	trackingCredentials,
} from '../../support/node-workflows';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let seven: FakeSeven;
let twilio: FakeTwilio;
beforeAll(async () => {
	[server, seven, twilio] = await Promise.all([
		startTestServer(),
		startFakeSeven(),
		startFakeTwilio(),
	]);
});
afterAll(async () => {
	await Promise.all([server.close(), seven.close(), twilio.close()]);
});
afterEach(() => {
	expect(seven.violations).toEqual([]);
	expect(twilio.violations).toEqual([]);
});

const credentials = () => ({
	...trackingCredentials(server),
	smsTrackingSevenApi: { apiKey: seven.apiKey, baseUrl: seven.url },
	smsTrackingTwilioApi: {
		authType: 'authToken',
		accountSid: twilio.accountSid,
		authToken: twilio.authToken,
		baseUrl: twilio.url,
	},
});
const service = 'MG' + '0123456789abcdef'.repeat(2);
const minutes = (n: number) => n * 60_000;

/** The clock in `timeZone` at `at`: hour and minute. */
const clock = (at: Date, timeZone: string) => {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone,
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
	}).formatToParts(at);
	const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
	return { hour: part('hour'), minute: part('minute') };
};

/** Three clicks at 18:xx Berlin time (17:xx UTC in January) by `recipient`, in a campaign of their own. */
async function clicksAtSix(recipient: string) {
	const campaignId = await newCampaign(server, 'history');
	await storeEvents(
		server,
		['2026-01-10T17:05:00Z', '2026-01-11T17:15:00Z', '2026-01-12T17:45:00Z'].map((at) => ({
			type: 'click' as const,
			campaignId,
			recipient,
			occurredAt: new Date(at),
		})),
	);
}

const send = async (parameters: INodeParameters, phones: string[], continueOnFail = false) => {
	const campaignId = await newCampaign(server, 'scheduled');
	const run = await runNode({
		parameters: sendParameters(campaignId, { text: 'Hi https://shop.example/sale', ...parameters }),
		items: phoneItems(phones),
		credentials: credentials(),
		continueOnFail,
	});
	const reported = await server.sql('SELECT recipient FROM messages WHERE campaign_id = $1', [
		campaignId,
	]);
	const linked = await server.sql('SELECT DISTINCT recipient FROM links WHERE campaign_id = $1', [
		campaignId,
	]);
	return {
		run,
		reported: reported.map((r) => r.recipient as string),
		linked: linked.map((r) => r.recipient as string),
	};
};

test('when Best Hour per Recipient is sent through seven.io, then each delay is the next occurrence of the recipient’s best hour, or of the audience’s for a newcomer', async () => {
	const [regular, newcomer] = ['+4915100001001', '+4915100001002'];
	await clicksAtSix(regular);
	const before = Date.now();
	const { run } = await send({ provider: 'seven', schedule: 'recipientHour' }, [regular, newcomer]);
	expect(run.error).toBeUndefined();

	for (const recipient of [regular, newcomer]) {
		const sms = seven.received.find((r) => r.to === recipient)!;
		expect(sms.delay).toMatch(/^\d{10}$/);
		const sendAt = new Date(Number(sms.delay) * 1000);
		// the only clicks anywhere are the regular's: 18:00 Berlin is the audience's hour too
		expect(clock(sendAt, 'Europe/Berlin')).toEqual({ hour: 18, minute: 0 });
		expect(sendAt.getTime()).toBeGreaterThanOrEqual(before + minutes(20) - 1000);
		expect(sendAt.getTime()).toBeLessThanOrEqual(before + minutes(20 + 25 * 60));
	}
	const [first, second] = run.outputs[0].map((o) => o.json);
	expect(first).toMatchObject({
		status: 'sent',
		scheduledAt: new Date(
			Number(seven.received.find((r) => r.to === regular)!.delay) * 1000,
		).toISOString(),
		sendTime: { hour: 18, timeZone: 'Europe/Berlin', source: 'recipient' },
	});
	expect(second).toMatchObject({
		sendTime: { hour: 18, timeZone: 'Europe/Berlin', source: 'audience' },
	});
});

test('when Best Hour of the Audience is read in a fixed zone, then the seven.io delay falls on that hour of that zone', async () => {
	const recipient = '+4915100001101';
	await clicksAtSix('+4915100001102');
	const { run } = await send(
		{
			provider: 'seven',
			schedule: 'audienceHour',
			scheduleOptions: { timeZone: 'America/New_York' },
		},
		[recipient],
	);
	expect(run.error).toBeUndefined();
	const sendAt = new Date(Number(seven.received.find((r) => r.to === recipient)!.delay) * 1000);
	// 17:xx UTC in January is 12:xx in New York
	expect(clock(sendAt, 'America/New_York')).toEqual({ hour: 12, minute: 0 });
	expect(run.outputs[0][0].json).toMatchObject({
		sendTime: { hour: 12, timeZone: 'America/New_York', source: 'audience' },
	});
});

test('when Twilio sends At a Time through a Messaging Service, then Twilio gets SendAt in UTC and ScheduleType fixed', async () => {
	const recipient = '+4915100001201';
	const sendAt = new Date(Math.floor((Date.now() + 2 * 86_400_000) / 1000) * 1000);
	const { run, reported } = await send(
		{
			provider: 'twilio',
			messagingServiceSid: service,
			schedule: 'at',
			scheduleAt: sendAt.toISOString(),
		},
		[recipient],
	);
	expect(run.error).toBeUndefined();
	const sms = twilio.received.find((r) => r.To === recipient)!;
	expect(sms).toMatchObject({
		MessagingServiceSid: service,
		ScheduleType: 'fixed',
		SendAt: sendAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
	});
	expect(run.outputs[0][0].json).toMatchObject({
		status: 'sent',
		scheduledAt: sendAt.toISOString(),
	});
	expect(reported).toEqual([recipient]);
});

test('when Twilio sends at the best hour through a Messaging Service, then SendAt is that hour in the recipient’s zone', async () => {
	const recipient = '+4915100001301';
	await clicksAtSix(recipient);
	const { run } = await send(
		{ provider: 'twilio', messagingServiceSid: service, schedule: 'recipientHour' },
		[recipient],
	);
	expect(run.error).toBeUndefined();
	const sms = twilio.received.find((r) => r.To === recipient)!;
	expect(sms.ScheduleType).toBe('fixed');
	expect(clock(new Date(sms.SendAt!), 'Europe/Berlin')).toEqual({ hour: 18, minute: 0 });
});

test('when Twilio is asked to schedule without a Messaging Service, then the node stops with a clear error before any link is made or message sent', async () => {
	const recipient = '+4915100001401';
	const { run, reported, linked } = await send(
		{ provider: 'twilio', from: '+15005550006', schedule: 'recipientHour' },
		[recipient],
	);
	expect(run.error?.message).toMatch(/Twilio schedules messages only through a Messaging Service/);
	expect(twilio.received.find((r) => r.To === recipient)).toBeUndefined();
	expect(reported).toEqual([]);
	expect(linked).toEqual([]);
});

test('when one item’s send time is outside Twilio’s window, then that item is an error item (Continue On Fail) and only the others are sent', async () => {
	const [bySeven, byTwilio] = ['+4915100001501', '+4915100001502'];
	const fiveMinutes = new Date(Date.now() + minutes(5)).toISOString();
	const { run, reported, linked } = await send(
		{
			provider: '={{ $json.phone.endsWith("1") ? "seven" : "twilio" }}',
			messagingServiceSid: service,
			schedule: 'at',
			scheduleAt: fiveMinutes,
		},
		[bySeven, byTwilio],
		true,
	);
	expect(run.error).toBeUndefined();
	const [sent, failed] = run.outputs[0];
	expect(sent.json).toMatchObject({ recipient: bySeven, status: 'sent', scheduledAt: fiveMinutes });
	expect(failed.pairedItem).toEqual({ item: 1 });
	expect(failed.json.error).toMatch(
		/outside Twilio's scheduling window \(15 minutes to 35 days ahead\)/,
	);
	expect(twilio.received.find((r) => r.To === byTwilio)).toBeUndefined();
	expect(reported).toEqual([bySeven]);
	expect(linked).toEqual([bySeven]);
});

test('when a Twilio send time is 36 days ahead without Continue On Fail, then the node stops with the item index and nothing is made or sent', async () => {
	const recipient = '+4915100001601';
	const { run, reported, linked } = await send(
		{
			provider: 'twilio',
			messagingServiceSid: service,
			schedule: 'at',
			scheduleAt: new Date(Date.now() + 36 * 86_400_000).toISOString(),
		},
		[recipient],
	);
	expect(run.error?.message).toMatch(/outside Twilio's scheduling window/);
	expect(run.error?.context?.itemIndex).toBe(0);
	expect(twilio.received.find((r) => r.To === recipient)).toBeUndefined();
	expect(reported).toEqual([]);
	expect(linked).toEqual([]);
});
