import { createDatabase, type Database, type Queryable } from '../../../server/src/db';
import { listEvents } from '../../../server/src/events/list';
import { ensureEventPartitions, listEventPartitions, monthsAhead } from '../../../server/src/events/partitions';
import { insertEvents } from '../../../server/src/events/store';
import { createLogger } from '../../../server/src/log';
import { startTestServer, type TestServer } from '../../support/server';

const monthStart = (offset: number) => {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
};
const partitionName = (month: Date) => `events_${month.toISOString().slice(0, 7).replace('-', '_')}`;

let server: TestServer;
let campaignId: string;
beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_DISPATCHER: 'false' });
	campaignId = (await server.api('POST', '/api/v1/campaigns', { name: 'partitions' })).body.id;
});
afterAll(() => server.close());

/** The partitions of events a query's plan reads. */
async function partitionsRead(text: string, values: unknown[]): Promise<string[]> {
	const { rows } = await server.db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, values);
	const found = new Set<string>();
	const walk = (node: any) => {
		if (typeof node?.['Relation Name'] === 'string' && node['Relation Name'].startsWith('events_')) {
			found.add(node['Relation Name']);
		}
		for (const child of node?.Plans ?? []) walk(child);
	};
	walk((rows[0]['QUERY PLAN'] as any)[0].Plan);
	return [...found].sort();
}

test('when the events list is asked for a time range, then its plan reads only the partitions of that range', async () => {
	const months = [-3, -2, -1, 0].map(monthStart);
	for (const month of months) await server.sql('SELECT events_create_month_partition($1)', [month]);
	await insertEvents(
		server.db,
		months.map((month, i) => ({
			eventKey: `click_range${i}`,
			type: 'click',
			occurredAt: new Date(month.getTime() + 86_400_000),
			campaignId,
			recipient: '+4915100000501',
			clickId: `range${i}`,
		})),
	);
	// The SQL the real events list sends, taken on its way to the database.
	const sent: Array<{ text: string; values: unknown[] }> = [];
	const recording: Queryable = {
		query: (text, values = [], name) => {
			sent.push({ text, values });
			return server.db.query(text, values, name);
		},
	};
	const page = await listEvents(recording, campaignId, { from: months[1], to: months[3], limit: 50 });
	expect(page.events.map((e) => e.clickId)).toEqual(['range1', 'range2']);

	expect(await partitionsRead(sent[0].text, sent[0].values)).toEqual([partitionName(months[1]), partitionName(months[2])].sort());
	// open-ended: from the second month on
	sent.length = 0;
	await listEvents(recording, campaignId, { from: months[2], limit: 50 });
	const from = await partitionsRead(sent[0].text, sent[0].values);
	expect(from).toContain(partitionName(months[2]));
	expect(from).not.toContain(partitionName(months[0]));
	expect(from).not.toContain(partitionName(months[1]));
});

test('when several servers keep the partitions at once, then each month is created once and a second round creates nothing', async () => {
	const others: Database[] = [0, 1, 2].map(() => createDatabase(server.databaseUrl, 2, createLogger('silent')));
	try {
		const future = new Date(Date.UTC(2100, 0, 15)); // months nobody has created yet
		const made = await Promise.all(others.map((db) => ensureEventPartitions(db, future)));
		expect(made.flat().sort()).toEqual(
			Array.from({ length: monthsAhead + 1 }, (_, i) => partitionName(new Date(Date.UTC(2100, i, 1)))),
		);
		expect(await ensureEventPartitions(others[0], future)).toEqual([]);
		const names = (await listEventPartitions(server.db)).map((p) => p.name);
		expect(names[0]).toBe('events_default');
		expect(names).toContain('events_2100_03');
	} finally {
		await Promise.all(others.map((db) => db.close()));
	}
});

test('when an event falls in a month without a partition, then the default partition keeps it until its month is created, and then it moves there with its id and key', async () => {
	const at = new Date(Date.UTC(2099, 5, 10, 12));
	const { inserted } = await insertEvents(server.db, [
		{ eventKey: 'dlr:seven:far:delivered', type: 'delivered', occurredAt: at, campaignId, recipient: '+4915100000502' },
	]);
	const where = () => server.sql(`SELECT id::text, tableoid::regclass::text AS p FROM events WHERE event_key = 'dlr:seven:far:delivered'`);
	expect(await where()).toEqual([{ id: inserted[0].id, p: 'events_default' }]);

	expect(await server.sql('SELECT events_create_month_partition($1) AS created', [at])).toEqual([{ created: true }]);
	expect(await where()).toEqual([{ id: inserted[0].id, p: 'events_2099_06' }]);
	// the key still makes a repeat of the report a duplicate
	const again = await insertEvents(server.db, [
		{ eventKey: 'dlr:seven:far:delivered', type: 'delivered', occurredAt: new Date(at.getTime() + 1000), campaignId, recipient: '+4915100000502' },
	]);
	expect(again.inserted).toEqual([]);
	expect(await server.sql(`SELECT count(*)::int AS n FROM events_default`)).toEqual([{ n: 0 }]);
});
