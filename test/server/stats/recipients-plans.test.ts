import { recipientsSql } from '../../../server/src/stats/recipients';
import { parseRecipientsQuery } from '../../../server/src/stats/segment';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * Each segment filter is answered from an index: on a campaign of 30,000 recipients (and another
 * campaign beside it), the plan of every filter's first page reads no table whole. The figures
 * at 1,000,000 recipients are in server/bench/recipients.bench.js.
 */
const recipients = 30_000;
let server: TestServer;
let id: string;

async function seed(campaignId: string) {
	const phone = `'+49151' || lpad(r::text, 8, '0')`;
	const variant = `CASE WHEN r % 10 = 0 THEN 'holdout' WHEN r % 2 = 0 THEN 'A' ELSE 'B' END`;
	await server.sql(
		`INSERT INTO links (code, campaign_id, recipient, destination, variant)
		 SELECT $1 || r, $1, ${phone}, 'https://shop.example/p' || (r % 3), ${variant} FROM generate_series(1, $2) r`,
		[campaignId, recipients],
	);
	await server.sql(
		`INSERT INTO messages (campaign_id, recipient, variant, status)
		 SELECT $1, ${phone}, ${variant},
		        CASE WHEN r % 10 = 0 THEN 'holdout' WHEN r % 97 = 0 THEN 'failed' WHEN r % 3 = 0 THEN 'delivered' ELSE 'sent' END
		 FROM generate_series(1, $2) r`,
		[campaignId, recipients],
	);
	await server.sql(
		`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient, url, click_id, device_type, os, country)
		 SELECT $1 || r, 'click', now() - CASE WHEN r % 1000 = 5 THEN interval '1 hour' ELSE interval '10 days' END,
		        $1, ${phone}, 'https://shop.example/p' || (r % 3), $1 || 'k' || r, 'mobile',
		        CASE WHEN r % 40 = 5 THEN 'Android' ELSE 'iOS' END, CASE WHEN r % 3 = 0 THEN 'DE' ELSE 'AT' END
		 FROM generate_series(1, $2) r WHERE r % 20 = 5`,
		[campaignId, recipients],
	);
	await server.sql(
		`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient)
		 SELECT $1 || 'v' || r, CASE WHEN r % 100 = 5 THEN 'conversion' ELSE 'view' END, now() - interval '9 days', $1, ${phone}
		 FROM generate_series(1, $2) r WHERE r % 100 = 5 OR r % 15 = 1`,
		[campaignId, recipients],
	);
}

beforeAll(async () => {
	server = await startTestServer();
	const create = async (name: string) =>
		(await server.api('POST', '/api/v1/campaigns', { name })).body.id as string;
	id = await create('plans');
	const other = await create('beside');
	await seed(id);
	await seed(other);
	// the first request folds the queued events into the rollups
	expect((await server.api('GET', `/api/v1/campaigns/${id}/recipients?limit=1`)).status).toBe(200);
	expect((await server.api('GET', `/api/v1/campaigns/${other}/recipients?limit=1`)).status).toBe(
		200,
	);
	await server.sql('ANALYZE');
}, 120_000);
afterAll(() => server.close());

interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

/** An instant `days` days before now, as a query value. */
const ago = (days: number) => encodeURIComponent(new Date(Date.now() - days * 86_400_000).toISOString());

test.each([
	'',
	`from=${ago(15)}`,
	`from=${ago(15)}&to=${ago(-1)}&clicked=false`,
	`from=${ago(15)}&os=android&country=DE`,
	`to=${ago(5)}&url=${encodeURIComponent('https://shop.example/p1')}&viewed=true`,
	'status=failed',
	'status=holdout',
	'status=delivered',
	'holdout=exclude',
	'variant=A',
	'clicked=true',
	'clicked=false',
	'viewed=true',
	'converted=true',
	'os=android&country=DE&converted=false&holdout=exclude',
	'deviceType=mobile&clicked=true',
	`url=${encodeURIComponent('https://shop.example/p1')}`,
	'clickedWithinHours=24',
	'notClickedWithinHours=24',
	'status=holdout&notSentInWave=Winner',
])(
	'when recipients are asked for %p, then the plan reads the segment through indexes, no table whole',
	async (query) => {
		const { text, params } = recipientsSql(
			id,
			parseRecipientsQuery(Object.fromEntries(new URLSearchParams(query))),
		);
		const [row] = await server.sql(`EXPLAIN (FORMAT JSON) ${text}`, params);
		const scans = nodes(row['QUERY PLAN'][0].Plan)
			// the campaign's own row (its currency, for a range's revenue): a table of two rows is read whole
			.filter((n) => n['Node Type'] === 'Seq Scan' && !['recipient_metadata', 'campaigns'].includes(n['Relation Name']!))
			.map((n) => n['Relation Name'] as string);
		// A partition of events without rows (a month ahead, the default one) costs nothing to read
		// whole, and is what the planner rightly does with it.
		const read: string[] = [];
		for (const scan of scans) {
			const [{ rows }] = await server.sql(`SELECT EXISTS (SELECT 1 FROM "${scan}") AS rows`);
			if (rows || !scan.startsWith('events_')) read.push(scan);
		}
		expect(read).toEqual([]);
	},
);
