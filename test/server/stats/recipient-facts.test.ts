import { storeEvents } from '../../support/events';
import { keptFigures, recipientFactsOutOfStep } from '../../support/recipient-facts';
import { startTestServer, type TestServer } from '../../support/server';
import { at, people, sale, seedKnownCampaign } from '../../support/stats-seed';

// What links and messages say about each recipient is copied into narrow tables for time ranges
// (migration 032), and a whole campaign's totals, variants and waves are kept as they change
// (migration 033). Whoever writes the rollups (links and messages triggers, the fold, an erasure,
// a campaign's deletion), the copies and the kept figures stay in step, and the answers follow.
let server: TestServer;
let campaignId: string;
beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_DISPATCHER: 'off' });
	campaignId = await seedKnownCampaign(server, 'Facts');
	// a reminder wave to four of them
	const reminder = await server.api('POST', `/api/v1/campaigns/${campaignId}/links`, {
		wave: 'Reminder',
		recipients: [people.a1, people.a2, people.b1, people.b2].map((recipient) => ({
			recipient,
			urls: [sale],
		})),
	});
	expect(reminder.status).toBe(200);
	await server.sql(
		`INSERT INTO messages (campaign_id, recipient, variant, provider, provider_message_id, segments, status, sent_at, wave)
		 SELECT $1, r, NULL, 'seven', 'reminder-' || r, 1, 'sent', $3, 'Reminder' FROM unnest($2::text[]) AS r`,
		[campaignId, [people.a1, people.a2, people.b1], at(200)],
	);
});
afterAll(() => server.close());

/** The campaign's figures: whole, and a range that cuts slots (read from the copies). */
async function figures() {
	const whole = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
	const range = await server.api(
		'GET',
		`/api/v1/campaigns/${campaignId}/stats?from=${at(5)}&to=${at(125)}`,
	);
	expect([whole.status, range.status]).toEqual([200, 200]);
	return { whole: whole.body, range: range.body };
}

/** The copies say what the rollups say, and the kept figures count what the rollups hold. */
async function expectInStep() {
	expect(await recipientFactsOutOfStep(server.sql)).toEqual([]);
	const [kept, counted] = await keptFigures(server.sql);
	expect(kept).toEqual(counted);
}

const facts = (recipient: string) =>
	server.sql<{ ordinal: string; flags: number; wave: string | null }>(
		`SELECT ordinal, ('x' || encode(substr(record, 9, 4), 'hex'))::bit(32)::int AS flags, wave FROM (
		   SELECT ordinal, record, NULL AS wave FROM stats_recipient_facts WHERE recipient = $1
		   UNION ALL SELECT ordinal, record, wave FROM stats_wave_recipient_facts WHERE recipient = $1) f
		 ORDER BY wave NULLS FIRST`,
		[recipient],
	);

test('when links, messages and events are stored and folded, then the copies say what the rollups say', async () => {
	const { whole, range } = await figures();
	await expectInStep();
	expect(await facts(people.a1)).toEqual([
		{ ordinal: expect.any(String), flags: 3, wave: null }, // sent and delivered
		{ ordinal: (await facts(people.a1))[0].ordinal, flags: 3, wave: 'Initial' },
		{ ordinal: (await facts(people.a1))[0].ordinal, flags: 1, wave: 'Reminder' },
	]);
	// what messages say holds for the whole campaign, whatever the range (delivery reports as
	// events count in the range they fall in)
	for (const key of ['recipients', 'sent', 'cost']) {
		expect([key, range.totals[key]]).toEqual([key, whole.totals[key]]);
	}
	expect(range.waves.map((w: any) => [w.wave, w.recipients, w.sent])).toEqual(
		whole.waves.map((w: any) => [w.wave, w.recipients, w.sent]),
	);
});

test('when delivery reports change messages, then a range counts them as the whole campaign does', async () => {
	const before = (await figures()).range.totals;
	// a4: failed → delivered (delivered wins); b2: sent → failed; b1's reminder delivered (b1's
	// delivery report as an event falls before the range)
	await server.sql(`UPDATE messages SET status = 'delivered' WHERE campaign_id = $1 AND recipient = $2`, [
		campaignId,
		people.a4,
	]);
	await server.sql(
		`UPDATE messages SET status = 'failed' WHERE campaign_id = $1 AND recipient = $2 AND wave = 'Initial'`,
		[campaignId, people.b2],
	);
	await server.sql(
		`UPDATE messages SET status = 'delivered' WHERE campaign_id = $1 AND recipient = $2 AND wave = 'Reminder'`,
		[campaignId, people.b1],
	);
	const { whole, range } = await figures();
	await expectInStep();
	expect(range.totals.delivered).toBe(before.delivered + 2); // a4, b1
	expect(range.totals.failed).toBe(before.failed); // a4 left, b2 came
	for (const key of ['recipients', 'sent', 'cost']) {
		expect([key, range.totals[key]]).toEqual([key, whole.totals[key]]);
	}
	const reminder = range.waves.find((w: any) => w.wave === 'Reminder');
	expect(reminder).toMatchObject({ recipients: 4, sent: 3, delivered: 1 });
});

test('when events come from someone no link or message knows, and from nobody, then only the someone becomes a recipient', async () => {
	const stranger = '+4915100000099';
	await storeEvents(server, [
		{ type: 'click', campaignId, recipient: stranger, url: sale, wave: 'Reminder', occurredAt: new Date(at(30)) },
		{ type: 'click', campaignId, recipient: null, url: sale, occurredAt: new Date(at(31)) },
	]);
	const { whole, range } = await figures();
	await expectInStep();
	expect((await facts(stranger)).map((f) => [f.wave, f.flags])).toEqual([
		[null, 0],
		['Reminder', 0],
	]);
	expect(await facts('')).toEqual([]);
	expect(range.totals.recipients).toBe(whole.totals.recipients);
});

test('when a person is erased, then their pseudonym keeps their number in both copies', async () => {
	const before = await facts(people.a1);
	const { range } = await figures();
	const res = await server.api('DELETE', `/api/v1/recipients/${encodeURIComponent(people.a1)}`);
	expect(res.status).toBe(200);
	expect(await facts(people.a1)).toEqual([]);
	await expectInStep();
	const [{ recipient: pseudonym }] = await server.sql<{ recipient: string }>(
		`SELECT recipient FROM stats_recipient_facts WHERE campaign_id = $1 AND recipient LIKE 'erased\\_%'`,
		[campaignId],
	);
	expect(await facts(pseudonym)).toEqual(before);
	expect((await figures()).range).toEqual(range);
});

test('when the kept figures have piled up rows, then merging them changes no figure', async () => {
	const before = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
	const rows = () =>
		server.sql<{ n: number }>(
			`SELECT count(*)::int AS n FROM (SELECT campaign_id FROM stats_variant_figures
			 UNION ALL SELECT campaign_id FROM stats_wave_figures) f WHERE campaign_id = $1`,
			[campaignId],
		);
	const [{ n: piled }] = await rows();
	await server.sql('SELECT stats_figures_merge(1)');
	const [{ n: merged }] = await rows();
	expect(merged).toBeLessThan(piled);
	const byKey = await server.sql(
		`SELECT variant AS key, count(*)::int AS n FROM stats_variant_figures WHERE campaign_id = $1 GROUP BY 1
		 UNION ALL SELECT wave, count(*)::int FROM stats_wave_figures WHERE campaign_id = $1 GROUP BY 1`,
		[campaignId],
	);
	expect(byKey.filter((k: any) => k.n !== 1)).toEqual([]);
	await expectInStep();
	const after = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
	expect(after.body).toEqual(before.body);
});

test('when the campaign is deleted, then its copies and kept figures go with it', async () => {
	const res = await server.api('DELETE', `/api/v1/campaigns/${campaignId}?confirm=true`);
	expect(res.status).toBe(200);
	const left = await server.sql(
		`SELECT count(*)::int AS n FROM (SELECT campaign_id FROM stats_recipient_facts
		 UNION ALL SELECT campaign_id FROM stats_wave_recipient_facts
		 UNION ALL SELECT campaign_id FROM stats_variant_figures
		 UNION ALL SELECT campaign_id FROM stats_wave_figures) f WHERE campaign_id = $1`,
		[campaignId],
	);
	expect(left).toEqual([{ n: 0 }]);
	await expectInStep();
});

test("when a campaign's recipient numbers lie far apart, then its figures are those of the same campaign numbered close together", async () => {
	const persons = ['+4915100000501', '+4915100000502', '+4915100000503', '+4915100000504'];
	/** A campaign of `persons` with one click each; with `apart`, the last two numbered 10,000,000 later. */
	async function campaign(name: string, apart: boolean) {
		const created = await server.api('POST', '/api/v1/campaigns', { name });
		const id: string = created.body.id;
		for (const [n, recipient] of persons.entries()) {
			if (apart && n === 2) {
				const [{ next }] = await server.sql<{ next: string }>(
					'SELECT max(ordinal) + 10000000 AS next FROM stats_recipients',
				);
				await server.sql(`ALTER TABLE stats_recipients ALTER COLUMN ordinal RESTART WITH ${next}`);
			}
			const links = await server.api('POST', `/api/v1/campaigns/${id}/links`, {
				recipients: [{ recipient, urls: [sale] }],
			});
			expect(links.status).toBe(200);
		}
		await storeEvents(
			server,
			persons.map((recipient, n) => ({
				type: 'click' as const,
				campaignId: id,
				recipient,
				url: sale,
				wave: 'Initial',
				occurredAt: new Date(at(10 + 20 * n)),
			})),
		);
		return id;
	}
	const close = await campaign('Numbered close', false);
	const apart = await campaign('Numbered apart', true);
	const [ordinals] = await server.sql<{ spread: string }>(
		'SELECT max(ordinal) - min(ordinal) AS spread FROM stats_recipients WHERE campaign_id = $1',
		[apart],
	);
	expect(Number(ordinals.spread)).toBeGreaterThan(1_000_000);
	for (const query of ['', `?from=${at(5)}&to=${at(55)}`, `?from=${at(5)}&to=${at(125)}`]) {
		const [a, b] = await Promise.all(
			[close, apart].map((id) => server.api('GET', `/api/v1/campaigns/${id}/stats${query}`)),
		);
		expect([query, { ...b.body, campaignId: null }]).toEqual([query, { ...a.body, campaignId: null }]);
		expect([query, a.body.totals.uniqueClickers]).not.toEqual([query, 0]);
	}
});
