import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Each table has one owning module, and only that module's store writes it; other features call
 * the store. This reads every SQL write in server/src (INSERT INTO, UPDATE, DELETE FROM, COPY,
 * TRUNCATE, comments left out) and checks where it stands.
 */
// The one exception on purpose: erasing a person (recipients/erasure.ts) rewrites every table that
// holds them in one transaction under the stats queue's lock, so the figures cannot move between
// two owners' statements; it is listed beside each owner it shares a table with.
const erasure = 'recipients\\/erasure';
const ownedWithErasure = (owner: string) => new RegExp(`^(${owner}|${erasure})\\.ts$`);

const owners: Record<string, RegExp> = {
	campaigns: /^campaigns\/store\.ts$/,
	links: ownedWithErasure('links\\/store'),
	messages: ownedWithErasure('messages\\/store'),
	delivery_reports_pending: /^delivery-reports\/store\.ts$/,
	events: ownedWithErasure('events\\/store'),
	// Claimed by a trigger as events are inserted (migration 024); retention drops a month's.
	event_keys: ownedWithErasure('events\\/retention'),
	opt_outs: /^opt-outs\/store\.ts$/,
	ip_hash_salts: /^privacy\/ip-hash-salts\.ts$/,
	api_keys: /^keys\/store\.ts$/,
	recipient_metadata: ownedWithErasure('recipients\\/metadata-store'),
	// Claimed by the events insert (a stored click takes its conversions along), kept by the
	// conversion endpoints through this module.
	pending_conversions: ownedWithErasure('events\\/pending-conversions'),
	// The webhook module: its store, its outbox and its delivery queue.
	webhook_subscriptions: /^webhooks\//,
	webhook_receipts: /^webhooks\//,
	webhook_deliveries: new RegExp(`^(webhooks\\/|${erasure}\\.ts$)`),
	// The per-recipient rollups are otherwise written only by stats_fold() in the migrations; the
	// erasure moves a person's rows to their pseudonym. Its audit lines are its own.
	stats_recipients: ownedWithErasure('__none__'),
	stats_wave_recipients: ownedWithErasure('__none__'),
	stats_recipient_urls: ownedWithErasure('__none__'),
	stats_recipient_slots: ownedWithErasure('__none__'),
	stats_recipient_traits: ownedWithErasure('__none__'),
	recipient_click_hours: ownedWithErasure('__none__'),
	erasures: ownedWithErasure('__none__'),
	journal_positions: /^journal\/position-store\.ts$/,
	// Send-time optimisation's precomputed hours (migration 027): the zones the fold reads, and
	// the one-off count of clicks stored before it; recipient_click_hours itself is written only by
	// that migration's functions, from stats_fold() (migration 028).
	send_time_zones: /^send-times\/click-hours\.ts$/,
	send_locks: /^send-locks\/store\.ts$/,
	recipient_click_hours_backfill: /^send-times\/click-hours\.ts$/,
};

const root = path.resolve(__dirname, '../../../server/src');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return /\.(ts|sql)$/.test(entry.name) ? [full] : [];
	});
}

const withoutComments = (source: string) =>
	source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\w])\/\/.*$/gm, '$1');

const write =
	/(?<!FOR\s+|DO\s+)\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)/g;

/** [file relative to server/src, table] for every write. */
function writes(): Array<[string, string]> {
	return sourceFiles(root).flatMap((file) => {
		const relative = path.relative(root, file).split(path.sep).join('/');
		return [...withoutComments(readFileSync(file, 'utf8')).matchAll(write)].map(
			(match): [string, string] => [relative, match[2]],
		);
	});
}

test('when server/src writes a table, then it is the table owner that writes it', () => {
	const strays = writes()
		.filter(([file, table]) => !owners[table]?.test(file))
		.map(
			([file, table]) =>
				`${file} writes ${table}${owners[table] ? '' : ' (a table with no owner here)'}`,
		);
	expect(strays).toEqual([]);
});

test('when the owners are read, then each one is found writing its table (the search sees the SQL)', () => {
	const found = new Set(writes().map(([, table]) => table));
	expect([...found].sort()).toEqual(Object.keys(owners).sort());
});

test.each([
	[
		'campaigns/routes.ts',
		"await db.query('UPDATE campaigns SET winner = $2 WHERE id = $1')",
		'campaigns',
	],
	['stats/winner.ts', '`\n  DELETE FROM messages WHERE id = $1`', 'messages'],
	['events/store.ts', 'INSERT INTO webhook_deliveries (id) SELECT 1', 'webhook_deliveries'],
	['journal/loader.ts', 'COPY events FROM STDIN', 'events'],
])('when %s holds %p, then the search names the write of %s', (_file, source, table) => {
	expect([...withoutComments(source).matchAll(write)].map((m) => m[2])).toEqual([table]);
});

test.each([
	['a row lock', 'SELECT * FROM campaigns WHERE id = $1 FOR UPDATE'],
	['an upsert', 'ON CONFLICT (id) DO UPDATE SET name = $2'],
	['a comment', '// one UPDATE per flush instead of one per delivery'],
])('when the source holds %s, then it is not a write', (_name, source) => {
	expect([...withoutComments(source).matchAll(write)]).toEqual([]);
});
