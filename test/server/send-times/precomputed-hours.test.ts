import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const newCampaign = async (name: string) =>
	(await server.api('POST', '/api/v1/campaigns', { name })).body.id as string;
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
const ownHour = async (recipient: string) =>
	(await server.api('POST', '/api/v1/send-times', { recipients: [recipient], minClicks: 1 })).body
		.recipients[0];
const row = async (recipient: string) =>
	(
		await server.sql(
			'SELECT zone, h07, h18, clicks, best_hour FROM recipient_click_hours WHERE recipient = $1',
			[recipient],
		)
	)[0];

test('when a recipient clicks, then their clicks by local hour and best hour are kept as the clicks are folded, daylight saving time included', async () => {
	const campaign = await newCampaign('kept');
	const londoner = '+447700900101';
	// 18:30 in London in winter (GMT) and in summer (BST, 17:30 UTC), 07:00 once
	await clicksAt(campaign, londoner, [
		'2026-01-12T18:30:00Z',
		'2026-07-12T17:30:00Z',
		'2026-03-01T07:00:00Z',
	]);

	expect(await ownHour(londoner)).toMatchObject({ hour: 18, source: 'recipient', clicks: 3 });
	const stored = await row(londoner);
	expect(stored).toEqual({ zone: 'Europe/London', h07: 1, h18: 2, clicks: 3, best_hour: 18 });
});

test('when a campaign is deleted, then its clicks leave its recipients’ best hours, as they leave the slots', async () => {
	const [kept, dropped] = [await newCampaign('kept'), await newCampaign('dropped')];
	const berliner = '+4915100000901';
	await clicksAt(kept, berliner, ['2026-01-10T08:05:00Z']); // 09:05 Berlin
	await clicksAt(dropped, berliner, ['2026-01-10T19:00:00Z', '2026-01-11T19:10:00Z']); // 20:xx
	expect(await ownHour(berliner)).toMatchObject({ hour: 20, clicks: 3 });

	expect(
		(await server.api('DELETE', `/api/v1/campaigns/${dropped}?confirm=true`)).status,
	).toBeLessThan(300);
	expect(await ownHour(berliner)).toMatchObject({ hour: 9, clicks: 1 });
	expect(await row(berliner)).toMatchObject({ clicks: 1, best_hour: 9 });
});

test('when a campaign is deleted while its clicks wait to be folded, then only the clicks already counted leave the best hours', async () => {
	const [kept, dropped] = [await newCampaign('kept'), await newCampaign('dropped')];
	const parisian = '+33612340001';
	await clicksAt(kept, parisian, ['2026-01-10T08:05:00Z']); // 09:05 Paris
	expect(await ownHour(parisian)).toMatchObject({ hour: 9, clicks: 1 });
	// two more at 09:xx, deleted with their campaign whether or not the folder counted them yet
	await clicksAt(dropped, parisian, ['2026-01-11T08:10:00Z', '2026-01-12T08:20:00Z']);

	expect(
		(await server.api('DELETE', `/api/v1/campaigns/${dropped}?confirm=true`)).status,
	).toBeLessThan(300);
	expect(await ownHour(parisian)).toMatchObject({ hour: 9, clicks: 1 });
	expect(await row(parisian)).toMatchObject({ clicks: 1, best_hour: 9 });
	expect(await server.sql('SELECT 1 FROM stats_pending WHERE campaign_id = $1', [dropped])).toEqual(
		[],
	);
});

test('when a recipient’s counted zone is no longer theirs, then their hour is read from the slots on their clock', async () => {
	const campaign = await newCampaign('moved');
	const newYorker = '+12125550199';
	await clicksAt(campaign, newYorker, ['2026-01-10T23:15:00Z', '2026-01-11T23:40:00Z']); // 18:xx EST
	// as if the zone list had changed since these clicks were counted
	await server.sql(
		`UPDATE recipient_click_hours SET zone = 'Asia/Tokyo', h18 = 0, h05 = 7 WHERE recipient = $1`,
		[newYorker],
	);
	expect(await ownHour(newYorker)).toMatchObject({
		hour: 18,
		timeZone: 'America/New_York',
		source: 'recipient',
		clicks: 2,
	});
});

test('when clicks were stored before the best-hour rollup existed, then the next server to boot counts them once, queued or folded', async () => {
	const campaign = await newCampaign('before');
	const parisian = '+33612345678';
	await clicksAt(campaign, parisian, ['2026-02-02T12:10:00Z', '2026-02-03T12:20:00Z']); // 13:xx Paris
	// the state right after migrations 027 and 028 on a database that already had these clicks:
	// the fold leaves them to the one-off count
	await server.sql('DELETE FROM recipient_click_hours');
	await server.sql('INSERT INTO recipient_click_hours_backfill SELECT max(id) FROM events');
	await server.sql(
		'UPDATE recipient_click_hours_folded_after SET event_id = (SELECT max(id) FROM events)',
	);

	// the second server counts them; the third finds nothing left to count (not counted twice)
	const second = await startTestServer({ DATABASE_URL: server.databaseUrl });
	const third = await startTestServer({ DATABASE_URL: server.databaseUrl });
	try {
		expect(await ownHour(parisian)).toMatchObject({ hour: 13, clicks: 2 }); // folds what is queued
		expect(await row(parisian)).toMatchObject({ zone: 'Europe/Paris', clicks: 2, best_hour: 13 });
		expect(await server.sql('SELECT * FROM recipient_click_hours_backfill')).toEqual([]);
	} finally {
		await second.close();
		await third.close();
	}
});
