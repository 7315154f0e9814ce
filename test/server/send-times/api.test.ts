import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const newCampaign = async (name: string) =>
	(await server.api('POST', '/api/v1/campaigns', { name })).body.id as string;

/** Clicks by `recipient` at the given UTC instants. */
const clicksAt = (campaignId: string, recipient: string, instants: string[]) =>
	storeEvents(
		server,
		instants.map((at) => ({
			type: 'click' as const,
			campaignId,
			recipient,
			occurredAt: new Date(at),
		})),
	);

const sendTimes = (body: unknown) => server.api('POST', '/api/v1/send-times', body);

// Each test uses its own numbers; the audience of "all campaigns" is then shared, so tests that
// read it use a campaign of their own.

test('when a recipient has enough clicks of their own, then their best hour is the local hour they click most, across campaigns', async () => {
	const [a, b] = [await newCampaign('spring'), await newCampaign('summer')];
	const berliner = '+4915100000101';
	// 17:xx UTC in winter is 18:xx in Berlin; 16:xx UTC in summer is 18:xx too (CEST)
	await clicksAt(a, berliner, ['2026-01-10T17:05:00Z', '2026-02-03T17:40:00Z']);
	await clicksAt(b, berliner, ['2026-07-01T16:20:00Z', '2026-05-02T08:00:00Z']);

	const res = await sendTimes({ recipients: [berliner], minClicks: 3 });
	expect(res.status).toBe(200);
	expect(res.body.recipients).toEqual([
		{ recipient: berliner, hour: 18, timeZone: 'Europe/Berlin', source: 'recipient', clicks: 4 },
	]);
});

test('when a recipient has fewer clicks than minClicks, then they get the audience best hour of the campaign', async () => {
	const campaign = await newCampaign('audience');
	const [fan1, fan2, fan3, newcomer] = [
		'+4915100000201',
		'+4915100000202',
		'+4915100000203',
		'+4915100000204',
	];
	// the audience clicks at 12:xx Berlin (11:xx UTC in winter) four times, 09:xx twice, 21:xx once
	await clicksAt(campaign, fan1, [
		'2026-01-05T11:00:00Z',
		'2026-01-06T11:10:00Z',
		'2026-01-07T08:00:00Z',
	]);
	await clicksAt(campaign, fan2, ['2026-01-05T11:30:00Z', '2026-01-06T11:59:00Z']);
	await clicksAt(campaign, fan3, ['2026-01-08T08:15:00Z']);
	await clicksAt(campaign, newcomer, ['2026-01-09T20:00:00Z']);

	const res = await sendTimes({ recipients: [newcomer, fan1], campaignId: campaign, minClicks: 3 });
	expect(res.status).toBe(200);
	expect(res.body.audience).toEqual({ clicks: 7, hour: 12, hours: { 'Europe/Berlin': 12 } });
	expect(res.body.recipients).toEqual([
		{ recipient: newcomer, hour: 12, timeZone: 'Europe/Berlin', source: 'audience', clicks: 1 },
		{ recipient: fan1, hour: 12, timeZone: 'Europe/Berlin', source: 'recipient', clicks: 3 },
	]);

	// with minClicks 1 the newcomer's own single click decides
	const own = await sendTimes({ recipients: [newcomer], campaignId: campaign, minClicks: 1 });
	expect(own.body.recipients[0]).toMatchObject({ hour: 21, source: 'recipient' });
});

test('when a fixed time zone is given, then hours are read on that clock, including across a DST change', async () => {
	const campaign = await newCampaign('fixed zone');
	const traveller = '+447700900123';
	// 13:30 UTC: 09:30 in New York on 2026-03-09 (EDT, the day after the change) and 08:30 on 2026-03-06 (EST)
	await clicksAt(campaign, traveller, [
		'2026-03-09T13:30:00Z',
		'2026-03-10T13:45:00Z',
		'2026-03-06T13:30:00Z',
	]);

	const res = await sendTimes({
		recipients: [traveller],
		timeZone: 'America/New_York',
		minClicks: 2,
	});
	expect(res.status).toBe(200);
	expect(res.body.recipients[0]).toEqual({
		recipient: traveller,
		hour: 9,
		timeZone: 'America/New_York',
		source: 'recipient',
		clicks: 3,
	});
	// on their own clock (+44 → Europe/London, still GMT in early March) the same clicks are 13:xx
	const own = await sendTimes({ recipients: [traveller], minClicks: 2 });
	expect(own.body.recipients[0]).toMatchObject({ hour: 13, timeZone: 'Europe/London' });
	// a half-hour zone: 13:30 UTC is 19:00 in India
	const india = await sendTimes({
		recipients: [traveller],
		timeZone: 'Asia/Kolkata',
		minClicks: 2,
	});
	expect(india.body.recipients[0]).toMatchObject({ hour: 19 });
});

test('when recipients come from several countries, then each is in their country’s zone, with documented defaults for shared calling codes', async () => {
	const res = await sendTimes({
		recipients: ['+12025550100', '+74951234567', '+919876543210', '+33612345678'],
		minClicks: 1000,
		defaultHour: 9,
	});
	expect(res.status).toBe(200);
	expect(res.body.recipients.map((r: { timeZone: string }) => r.timeZone)).toEqual([
		'America/New_York',
		'Europe/Moscow',
		'Asia/Kolkata',
		'Europe/Paris',
	]);
});

test('when nobody in the audience clicked, then the default hour is used and says so', async () => {
	const campaign = await newCampaign('silent');
	const res = await sendTimes({
		recipients: ['+4915100000301'],
		campaignId: campaign,
		defaultHour: 9,
	});
	expect(res.body.audience).toEqual({ clicks: 0, hour: null, hours: { 'Europe/Berlin': null } });
	expect(res.body.recipients[0]).toMatchObject({ hour: 9, source: 'default' });
});

describe('bad input', () => {
	const cases: Array<[string, unknown, number, string]> = [
		['no recipients', { recipients: [] }, 400, 'invalid_request'],
		['a recipient that is no phone number', { recipients: ['hello'] }, 400, 'invalid_phone'],
		[
			'an unknown time zone',
			{ recipients: ['+4915100000401'], timeZone: 'Mars/Olympus' },
			400,
			'invalid_time_zone',
		],
		[
			'an offset for a time zone',
			{ recipients: ['+4915100000401'], timeZone: '+02:00' },
			400,
			'invalid_time_zone',
		],
		[
			'an empty time zone',
			{ recipients: ['+4915100000401'], timeZone: '' },
			400,
			'invalid_time_zone',
		],
		['minClicks 0', { recipients: ['+4915100000401'], minClicks: 0 }, 400, 'invalid_request'],
		[
			'a fractional hour',
			{ recipients: ['+4915100000401'], defaultHour: 9.5 },
			400,
			'invalid_request',
		],
		['an unknown field', { recipients: ['+4915100000401'], when: 'now' }, 400, 'invalid_request'],
		[
			'an unknown campaign',
			{ recipients: ['+4915100000401'], campaignId: 'nope' },
			404,
			'campaign_not_found',
		],
	];
	test.each(cases)(
		'when the request has %s, then it is refused and nothing is written',
		async (_, body, status, code) => {
			const before = await server.sql(
				'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM stats_recipient_slots) AS slots, (SELECT count(*) FROM campaigns) AS campaigns',
			);
			const res = await sendTimes(body);
			expect(res.status).toBe(status);
			expect(res.body.error.code).toBe(code);
			expect(
				await server.sql(
					'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM stats_recipient_slots) AS slots, (SELECT count(*) FROM campaigns) AS campaigns',
				),
			).toEqual(before);
		},
	);

	test('when more than 10,000 recipients are sent, then the request is refused', async () => {
		const recipients = Array.from(
			{ length: 10_001 },
			(_, i) => `+491510${String(i).padStart(7, '0')}`,
		);
		const res = await sendTimes({ recipients });
		expect(res.status).toBe(400);
		expect(res.body.error.message).toMatch(/at most 10000/);
	});
});
