import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { waitFor } from '../../support/wait';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

const cap = 5;
let server: TestServer;
let hook: Receiver;
beforeAll(async () => {
	hook = await startReceiver();
	server = await startTestServer({ REDIRECT_RECORD_LIMIT: String(cap) });
});
afterAll(async () => {
	await server.close();
	await hook.close();
});

const storedOn = async (code: string) =>
	(
		await server.sql<{ events: number; deliveries: number }>(
			`SELECT count(DISTINCT e.id)::int AS events, count(d.id)::int AS deliveries
			 FROM events e LEFT JOIN webhook_deliveries d ON d.event_id = e.id
			 WHERE e.code = $1`,
			[code],
		)
	)[0];

test('when one client loops on one link, then every request is redirected but only the cap is recorded and sent to the workflow, and the rest is counted', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ conversionTracking: true },
		[
			{ recipient: '+4915112345678', urls: ['https://shop.example/loop'] },
			{ recipient: '+4915112345679', urls: ['https://shop.example/other'] },
		],
	);
	const [looped, other] = codes;
	const sub = await server.api('POST', '/api/v1/webhooks', {
		url: hook.url,
		events: ['click'],
		campaignId,
	});
	expect(sub.status).toBe(201);
	const cappedBefore = server.redirect.recordingCapped();

	const flood = 60;
	const answers = [];
	for (let round = 0; round < flood / 10; round++) {
		answers.push(
			...(await Promise.all(
				Array.from({ length: 10 }, () =>
					hit(`${server.url}/${looped}`, { userAgent: chromeOnAndroid }),
				),
			)),
		);
	}
	expect(answers.map((a) => a.status)).toEqual(Array(flood).fill(302));
	for (const a of answers) expect(new URL(a.location!).pathname).toBe('/loop');
	// Recorded hits carry their click id; capped ones go to the plain destination (no click behind them).
	expect(answers.filter((a) => a.location!.includes('sms_cid='))).toHaveLength(cap);

	// The same client on another link has a budget of its own; once its click is stored, the
	// loop's hits (all answered before it was sent) are too.
	expect((await hit(`${server.url}/${other}`, { userAgent: chromeOnAndroid })).status).toBe(302);
	await waitFor(() => storedOn(other), {
		what: 'the click on the other link to be stored',
		until: (s) => s.events === 1,
	});

	expect(await storedOn(looped)).toEqual({ events: cap, deliveries: cap });
	expect(server.redirect.recordingCapped() - cappedBefore).toBe(flood - cap);
	await hook.waitFor(cap + 1);
});
