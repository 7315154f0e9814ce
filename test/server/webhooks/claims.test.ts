import {
	claimDue,
	extendLeases,
	recordResults,
	releaseClaims,
} from '../../../server/src/webhooks/queue';
import { campaignWithLink, storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';

// The claim's SQL on real PostgreSQL, without a dispatcher: what a renewal may and may not touch.
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_DISPATCHER: 'off' });
});
afterAll(() => server.close());

async function oneClaim() {
	const { campaignId, link } = await campaignWithLink(server);
	await server.api('POST', '/api/v1/webhooks', {
		url: 'http://127.0.0.1:9/hook',
		events: ['click'],
		campaignId,
	});
	await storeEvents(server, [{ type: 'click', campaignId, code: link.code }]);
	const rows = await claimDue(server.db, {
		limit: 10,
		leaseMs: 60_000,
		rooms: {},
		defaultRoom: 10,
	});
	const row = rows.find((r) => r.campaign_id === campaignId)!;
	return { id: row.id, attempts: row.attempts };
}

const state = async (id: string) =>
	(
		await server.sql<{ attempts: number; locked: boolean; due_in_s: number }>(
			`SELECT attempts, locked_until IS NOT NULL AS locked, EXTRACT(EPOCH FROM next_attempt_at - now())::float8 AS due_in_s
			 FROM webhook_deliveries WHERE id = $1`,
			[id],
		)
	)[0];

test('when a claim is held, then a renewal pushes its lease forward', async () => {
	const claim = await oneClaim();
	expect(await extendLeases(server.db, [claim], 120_000)).toEqual(new Set([claim.id]));
	expect((await state(claim.id)).due_in_s).toBeGreaterThan(100);
});

test('when the result was written before a renewal lands, then the renewal leaves its retry time alone', async () => {
	const claim = await oneClaim();
	await recordResults(server.db, [
		{ ...claim, status: 'pending', lastStatus: 500, lastError: 'x', delayMs: 3_600_000 },
	]);
	expect(await extendLeases(server.db, [claim], 1_000)).toEqual(new Set());
	expect(await state(claim.id)).toMatchObject({ attempts: 1, locked: false });
	expect((await state(claim.id)).due_in_s).toBeGreaterThan(3_000);
});

test('when the claim was handed back before a renewal lands, then the renewal does not claim it again', async () => {
	const claim = await oneClaim();
	await releaseClaims(server.db, [claim]);
	expect(await extendLeases(server.db, [claim], 60_000)).toEqual(new Set());
	expect(await state(claim.id)).toMatchObject({ attempts: 0, locked: false });
});
