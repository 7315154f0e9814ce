import { csvRecords, parseCsv } from '../../support/csv';
import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { at, people, seedKnownCampaign } from '../../support/stats-seed';

let server: TestServer;
let id: string;
beforeAll(async () => {
	server = await startTestServer();
	id = await seedKnownCampaign(server);
});
afterAll(() => server.close());

const csv = (path: string) => server.api('GET', `/api/v1/campaigns/${id}/${path}`);

test('when the events of a range are downloaded, then the CSV holds exactly the events the events API lists for it, in stored order, with UTC and local times', async () => {
	const range = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(45))}`;
	const res = await csv(`events.csv?${range}&timeZone=Europe/Berlin`);
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
	expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".+-events-2026-11-20_2026-11-20\.csv"/);
	const rows = csvRecords(res.body);
	const listed = (await server.api('GET', `/api/v1/campaigns/${id}/events?${range}&limit=1000`)).body.events;
	expect(rows.map((r) => r.id)).toEqual(listed.map((e: any) => e.id));
	const first = rows.find((r) => r.id === listed[0].id)!;
	// what spreadsheets read as a date: "YYYY-MM-DD HH:MM:SS", milliseconds when there are any
	expect(first.occurred_at_utc).toBe(listed[0].occurredAt.replace('T', ' ').replace(/(\.000)?Z$/, ''));
	// 09:00 UTC is 10:00 in Berlin in November
	expect(rows.find((r) => r.occurred_at_utc === '2026-11-20 09:10:00')!.occurred_at_local).toBe('2026-11-20 10:10:00');
});

test('when a recipient is a phone number, then its cell starts with an apostrophe, so a spreadsheet does not turn it into a formula or a number', async () => {
	const rows = csvRecords((await csv('events.csv')).body);
	expect(rows.filter((r) => r.recipient).every((r) => r.recipient.startsWith("'+49"))).toBe(true);
});

test('when a stored text looks like a formula or holds quotes and commas, then the CSV keeps it as text that reads back unchanged after the apostrophe', async () => {
	await storeEvents(server, [
		{
			type: 'conversion',
			campaignId: id,
			recipient: people.a3,
			occurredAt: new Date(at(200)),
			conversionName: '=HYPERLINK("http://evil.example","open"), then "more"',
			conversionValue: 1,
			conversionCurrency: 'EUR',
		},
	]);
	const rows = csvRecords((await csv(`events.csv?from=${encodeURIComponent(at(200))}`)).body);
	expect(rows).toHaveLength(1);
	expect(rows[0].conversion_name).toBe(`'=HYPERLINK("http://evil.example","open"), then "more"`);
	expect(rows[0].conversion_value).toBe('1.0000');
});

test('when stored texts start with each formula character, then exactly those get the apostrophe', async () => {
	const names = ['=1+1', '+49', '-2', '@SUM(A1)', '\tx', '\rx', 'plain', 'é=1', '1-2'];
	await storeEvents(
		server,
		names.map((conversionName, i) => ({
			type: 'conversion' as const,
			campaignId: id,
			recipient: people.a3,
			occurredAt: new Date(Date.parse(at(250)) + i * 1000),
			conversionName,
			browser: conversionName,
		})),
	);
	const rows = csvRecords((await csv(`events.csv?from=${encodeURIComponent(at(250))}&to=${encodeURIComponent(at(251))}`)).body);
	const safe = names.map((n) => (/^[=+\-@\t\r]/.test(n) ? `'${n}` : n));
	expect(rows.map((r) => r.conversion_name)).toEqual(safe);
	expect(rows.map((r) => r.browser)).toEqual(safe);
});

test('when the recipients are downloaded with the filters of Get Recipients, then the CSV lists the same recipients as the API with their counts', async () => {
	const api = (await server.api('GET', `/api/v1/campaigns/${id}/recipients?clicked=true`)).body.recipients;
	const res = await csv('recipients.csv?clicked=true&timeZone=Europe/Berlin');
	expect(res.status).toBe(200);
	const rows = csvRecords(res.body);
	expect(rows.map((r) => r.recipient)).toEqual(api.map((r: any) => `'${r.recipient}`));
	for (const [i, r] of api.entries()) {
		expect(rows[i]).toMatchObject({
			variant: r.variant ?? '',
			status: r.status ?? '',
			clicks: String(r.clicks),
			conversions: String(r.conversions),
			delivered: String(r.delivered),
			first_click_at_utc: r.firstClickAt?.replace('T', ' ').replace(/(\.000)?Z$/, '') ?? '',
		});
		expect(Number(rows[i].revenue)).toBe(r.revenue);
	}
});

test('when the stats of a range are downloaded, then every total of the stats API is a row of the CSV with the same value', async () => {
	const range = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(90))}&timeZone=Europe/Berlin`;
	const stats = (await server.api('GET', `/api/v1/campaigns/${id}/stats?${range}`)).body;
	const res = await csv(`stats.csv?${range}`);
	expect(res.status).toBe(200);
	const rows = csvRecords(res.body);
	const value = (section: string, key: string, metric: string) =>
		rows.find((r) => r.section === section && r.key === key && r.metric === metric)?.value;
	for (const [metric, number] of Object.entries(stats.totals)) {
		expect([metric, value('totals', '', metric)]).toEqual([metric, number === null ? '' : String(number)]);
	}
	expect(value('variant', 'A', 'uniqueClickers')).toBe(String(stats.variants[0].uniqueClickers));
	expect(value('info', '', 'timeZone')).toBe('Europe/Berlin');
	const timelineClicks = rows
		.filter((r) => r.section.startsWith('timeline:') && r.metric === 'clicks')
		.reduce((sum, r) => sum + Number(r.value), 0);
	expect(timelineClicks).toBe(stats.totals.clicks);
});

describe('bad input gets a JSON 4xx naming the problem, and no file', () => {
	const cases: Array<[string, string, number, RegExp]> = [
		['from after to', `events.csv?from=${at(60)}&to=${at(0)}`, 400, /from must be before to/],
		['a range over 2 years', 'events.csv?from=2024-01-01&to=2026-06-01', 400, /at most 2 years/],
		['an unknown time zone', 'stats.csv?timeZone=Mars/Olympus', 400, /timeZone/],
		['an unknown parameter', 'events.csv?limit=5', 400, /limit/],
		['from after to on recipients.csv', `recipients.csv?from=${at(60)}&to=${at(0)}`, 400, /from must be before to/],
		['a wave on recipients.csv', 'recipients.csv?wave=Initial', 400, /unknown query parameter.*wave/],
		['a bad recipient filter', 'recipients.csv?clicked=maybe', 400, /clicked/],
	];
	test.each(cases)('when %s is asked for, then it is a JSON 400 naming it', async (_name, path, status, message) => {
		const res = await csv(path);
		expect(res.status).toBe(status);
		expect(res.headers.get('content-type')).toMatch(/application\/json/);
		expect(res.body.error.message).toMatch(message);
	});

	test.each(['events.csv', 'recipients.csv', 'stats.csv'])('when %s of an unknown campaign is asked for, then it is a 404', async (file) => {
		const res = await server.api('GET', `/api/v1/campaigns/no-such-campaign/${file}`);
		expect(res.status).toBe(404);
		expect(res.headers.get('content-type')).toMatch(/application\/json/);
		expect(res.body.error.code).toBeTruthy();
	});
});

test('when a key without the read scope asks for a CSV, then it is refused', async () => {
	const key = (await server.api('POST', '/api/v1/keys', { name: 'writer', scopes: ['write'] })).body.key;
	const res = await server.api('GET', `/api/v1/campaigns/${id}/events.csv`, undefined, { authorization: `Bearer ${key}` });
	expect(res.status).toBe(403);
});

test('when a campaign has more events than one fetch of the cursor, then every one is in the file once', async () => {
	const many = Array.from({ length: 12_345 }, (_, i) => ({
		type: 'view' as const,
		campaignId: id,
		recipient: people.b2,
		occurredAt: new Date(Date.parse(at(300)) + i),
	}));
	await storeEvents(server, many);
	const res = await csv(`events.csv?from=${encodeURIComponent(at(300))}`);
	const rows = parseCsv(res.body).slice(1);
	expect(rows).toHaveLength(12_345);
	expect(new Set(rows.map((r) => r[0])).size).toBe(12_345);
});

test('when clients stop reading downloads half way, then their database connections come back and the next downloads are whole', async () => {
	const url = `${server.url}/api/v1/campaigns/${id}/events.csv`;
	for (let i = 0; i < 6; i++) {
		const controller = new AbortController();
		const res = await fetch(url, { headers: { authorization: `Bearer ${server.apiKey}` }, signal: controller.signal });
		const reader = res.body!.getReader();
		await reader.read();
		controller.abort();
		await reader.closed.catch(() => undefined);
	}
	// the pool has 4 connections: six abandoned downloads holding theirs would leave none
	const whole = await Promise.all([1, 2, 3].map(() => csv('events.csv')));
	for (const res of whole) expect(parseCsv(res.body).length).toBe(parseCsv(whole[0].body).length);
	expect(parseCsv(whole[0].body).length).toBeGreaterThan(12_345);
});
