import { startTestServer, type TestServer } from '../../support/server';

/**
 * notSentInWave: the recipients a wave has not reached yet. The send of the A/B winner to the
 * hold-out asks for `status=holdout&notSentInWave=Winner`, so a second run sends nobody twice.
 */
const [h1, h2, h3, h4] = ['+4915100000201', '+4915100000202', '+4915100000203', '+4915100000204'];
const sentA = '+4915100000211';

let server: TestServer;
let campaignId: string;
const messages = (body: Record<string, unknown>) =>
	server.api('POST', `/api/v1/campaigns/${campaignId}/messages`, body);
const list = (query: string) =>
	server.api('GET', `/api/v1/campaigns/${campaignId}/recipients?${query}`);
const names = (res: { body: any }) => res.body.recipients.map((r: any) => r.recipient);

beforeAll(async () => {
	server = await startTestServer();
	campaignId = (await server.api('POST', '/api/v1/campaigns', { name: 'hold-out waves' })).body.id;
	await messages({
		messages: [
			...[h1, h2, h3, h4].map((recipient) => ({
				recipient,
				variant: 'holdout',
				status: 'holdout',
			})),
			{
				recipient: sentA,
				variant: 'A',
				status: 'sent',
				provider: 'seven',
				providerMessageId: 'a-1',
			},
		],
	});
	// The winner wave so far: h1 sent, h2 accepted then reported failed, h3 refused outright.
	await messages({
		wave: 'Winner',
		messages: [
			{
				recipient: h1,
				variant: 'holdout',
				status: 'sent',
				provider: 'seven',
				providerMessageId: 'w-1',
			},
			{
				recipient: h2,
				variant: 'holdout',
				status: 'failed',
				provider: 'seven',
				providerMessageId: 'w-2',
			},
			{ recipient: h3, variant: 'holdout', status: 'failed', provider: 'seven', error: 'refused' },
		],
	});
});
afterAll(() => server.close());

test('when the hold-out is asked for without the recipients the wave "Winner" reached, then only those it has not reached come back', async () => {
	const res = await list('status=holdout&notSentInWave=Winner');
	expect(res.status).toBe(200);
	// h2's message was accepted by the provider (it has an id): sent, even though it failed later
	expect(names(res)).toEqual([h3, h4]);
	expect(res.body.recipients.every((r: any) => r.status === 'holdout')).toBe(true);
});

test('when a wave that sent nothing yet is named, then the whole hold-out comes back, page by page', async () => {
	const first = await list('status=holdout&notSentInWave=Later&limit=3');
	expect(names(first)).toEqual([h1, h2, h3]);
	const second = await list(
		`status=holdout&notSentInWave=Later&limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`,
	);
	expect(names(second)).toEqual([h4]);
	expect(second.body.nextCursor).toBeNull();
});

test('when the winner wave is sent to the rest, then the same question returns nobody', async () => {
	await messages({
		wave: 'Winner',
		messages: [h3, h4].map((recipient, i) => ({
			recipient,
			variant: 'holdout',
			status: 'sent',
			provider: 'seven',
			providerMessageId: `w-rest-${i}`,
		})),
	});
	expect(names(await list('status=holdout&notSentInWave=Winner'))).toEqual([]);
	// the hold-out is still the hold-out: the winner wave did not move anyone into a variant
	expect(names(await list('status=holdout'))).toEqual([h1, h2, h3, h4]);
});

test.each([
	['notSentInWave=', 200],
	['notSentInWave=%20', 400],
	[`notSentInWave=${'w'.repeat(101)}`, 400],
	['notSentInWave=Winner&wave=Initial', 400],
])('when recipients are asked with %s, then the answer is %d', async (query, status) => {
	const res = await list(query);
	expect(res.status).toBe(status);
	if (status === 400) expect(res.body.error.message).toMatch(/notSentInWave|wave/);
});
