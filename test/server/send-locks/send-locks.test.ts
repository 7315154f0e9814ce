import { startTestServer, type TestServer } from '../../support/server';

// One sender of a campaign's wave at a time (migration 031): Send → Winning Variant → Hold-Out
// takes the lock before it reads whom the wave has not reached, and gives it back when done.
let server: TestServer;
let campaignId: string;
beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_DISPATCHER: 'off' });
	campaignId = (await server.api('POST', '/api/v1/campaigns', { name: 'locks' })).body.id;
});
afterAll(() => server.close());

const take = (body: unknown, id = campaignId) => server.api('POST', `/api/v1/campaigns/${id}/send-locks`, body);
const release = (wave: string, holder: string) =>
	server.api('DELETE', `/api/v1/campaigns/${campaignId}/send-locks/${encodeURIComponent(wave)}?holder=${encodeURIComponent(holder)}`);
const locks = () => server.sql('SELECT campaign_id, wave, holder FROM send_locks ORDER BY wave');

test('when many runs take the same wave at once, then exactly one holds it and the others are told who does', async () => {
	const answers = await Promise.all(
		Array.from({ length: 12 }, (_, i) => take({ wave: 'Race', holder: `n8n execution ${i}` })),
	);
	const won = answers.filter((a) => a.status === 201);
	expect(won).toHaveLength(1);
	const holder = won[0].body.holder;
	for (const lost of answers.filter((a) => a.status !== 201)) {
		expect(lost.status).toBe(409);
		expect(lost.body.error.code).toBe('send_in_progress');
		expect(lost.body.error.message).toContain(holder);
	}
	expect((await release('Race', holder)).status).toBe(204);
});

test('when the holder takes its lock again, then the lease is renewed; given back, another holder can take it', async () => {
	const first = await take({ wave: 'Winner', holder: 'run A', leaseSeconds: 60 });
	expect(first.status).toBe(201);
	expect(Date.parse(first.body.heldUntil) - Date.now()).toBeGreaterThan(50_000);
	const renewed = await take({ wave: 'Winner', holder: 'run A', leaseSeconds: 600 });
	expect(renewed.status).toBe(201);
	expect(Date.parse(renewed.body.heldUntil)).toBeGreaterThan(Date.parse(first.body.heldUntil));
	expect((await take({ wave: 'Winner', holder: 'run B' })).status).toBe(409);
	// another wave of the same campaign is free
	expect((await take({ wave: 'Reminder', holder: 'run B' })).status).toBe(201);

	expect((await release('Winner', 'run B')).status).toBe(404); // not its lock: nothing changes
	expect((await release('Winner', 'run A')).status).toBe(204);
	expect((await take({ wave: 'Winner', holder: 'run B' })).status).toBe(201);
	expect(await locks()).toEqual([
		{ campaign_id: campaignId, wave: 'Reminder', holder: 'run B' },
		{ campaign_id: campaignId, wave: 'Winner', holder: 'run B' },
	]);
	await release('Winner', 'run B');
	await release('Reminder', 'run B');
});

test('when a lock’s lease has ended (its run died), then another holder takes it', async () => {
	expect((await take({ wave: 'Crashed', holder: 'run that died' })).status).toBe(201);
	await server.sql("UPDATE send_locks SET held_until = now() - interval '1 second' WHERE wave = 'Crashed'");
	const taken = await take({ wave: 'Crashed', holder: 'run after' });
	expect(taken.status).toBe(201);
	expect(taken.body).toMatchObject({ campaignId, wave: 'Crashed', holder: 'run after' });
	await release('Crashed', 'run after');
});

test('when the input is bad or the campaign unknown, then the answer is a clear 4xx and no lock is written', async () => {
	const cases: Array<[unknown, number, string]> = [
		[{ holder: 'x' }, 400, 'invalid_wave'],
		[{ wave: 'Winner' }, 400, 'invalid_request'],
		[{ wave: 'Winner', holder: '  ' }, 400, 'invalid_request'],
		[{ wave: 'Winner', holder: 'x', leaseSeconds: 5 }, 400, 'invalid_request'],
		[{ wave: 'Winner', holder: 'x', leaseSeconds: 1.5 }, 400, 'invalid_request'],
		[{ wave: 'Winner', holder: 'x', other: 1 }, 400, 'invalid_request'],
	];
	for (const [body, status, code] of cases) {
		const res = await take(body);
		expect([JSON.stringify(body), res.status, res.body.error?.code]).toEqual([JSON.stringify(body), status, code]);
	}
	const unknown = await take({ wave: 'Winner', holder: 'x' }, 'cmp_unknown');
	expect(unknown.status).toBe(404);
	const noHolder = await server.api('DELETE', `/api/v1/campaigns/${campaignId}/send-locks/Winner`);
	expect(noHolder.status).toBe(400);
	expect(await locks()).toEqual([]);
});
