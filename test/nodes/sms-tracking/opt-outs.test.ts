import { runNode } from '../../support/n8n';
import { phoneItems, sendParameters, useServerAndSeven } from '../../support/node-workflows';

const env = useServerAndSeven();
afterEach(() => expect(env.seven.violations).toEqual([]));

const optOut = (operation: string, parameters: Record<string, unknown> = {}) => ({
	resource: 'optOut',
	operation,
	...parameters,
});
const listed = async () =>
	(await env.server.sql('SELECT phone, reason FROM opt_outs ORDER BY phone')).map((r) =>
		`${r.phone} ${r.reason ?? ''}`.trim(),
	);

beforeEach(() => env.server.sql('DELETE FROM opt_outs'));

test('when a recipient is on the opt-out list, then Send leaves them out, keeps their fields and reports no send for them', async () => {
	const id = await env.campaign('opt-out send');
	const [kept, stopped, other] = ['+4915130000001', '+4915130000002', '+4915130000003'];
	await env.server.api('POST', '/api/v1/opt-outs', { phones: [stopped] });

	const run = await runNode({
		parameters: sendParameters(id, {
			provider: 'seven',
			text: 'Sale today: https://shop.example/sale',
		}),
		items: phoneItems([kept, stopped, other]).map((item, i) => ({ ...item, crmId: `c${i}` })),
		credentials: env.credentials(),
	});
	expect(run.error).toBeUndefined();
	expect(
		env.seven.received.map((r) => r.to).filter((to) => [kept, stopped, other].includes(to)),
	).toEqual([kept, other]);
	const out = run.outputs[0];
	expect(out.map((o) => [o.pairedItem, o.json.status])).toEqual([
		[{ item: 0 }, 'sent'],
		[{ item: 1 }, 'opted-out'],
		[{ item: 2 }, 'sent'],
	]);
	expect(out[1].json).toMatchObject({ recipient: stopped, campaignId: id, crmId: 'c1' });
	const rows = await env.server.sql(
		'SELECT recipient FROM messages WHERE campaign_id = $1 ORDER BY recipient',
		[id],
	);
	expect(rows.map((r) => r.recipient)).toEqual([kept, other]);
});

test('when numbers are added, listed and removed through the node, then the server list follows', async () => {
	const added = await runNode({
		parameters: optOut('add', {
			optOutPhone: '={{ $json.phone }}',
			optOutOptions: { defaultCallingCode: 'DE', reason: 'unsubscribed on the website' },
		}),
		items: [{ phone: '0151 30000011' }, { phone: '+4915130000012' }, { phone: '+4915130000012' }],
		credentials: env.credentials(),
	});
	expect(added.error).toBeUndefined();
	expect(added.outputs[0].map((o) => o.json)).toEqual([
		{ phone: '+4915130000011', optedOut: true, alreadyListed: false },
		{ phone: '+4915130000012', optedOut: true, alreadyListed: false },
		{ phone: '+4915130000012', optedOut: true, alreadyListed: true },
	]);
	expect(await listed()).toEqual([
		'+4915130000011 unsubscribed on the website',
		'+4915130000012 unsubscribed on the website',
	]);

	const all = await runNode({
		parameters: optOut('getAll', { returnAll: true }),
		items: [{}],
		credentials: env.credentials(),
	});
	expect(all.outputs[0].map((o) => o.json.phone).sort()).toEqual([
		'+4915130000011',
		'+4915130000012',
	]);
	const one = await runNode({
		parameters: optOut('getAll', { returnAll: false, limit: 1 }),
		items: [{}],
		credentials: env.credentials(),
	});
	expect(one.outputs[0]).toHaveLength(1);

	const removed = await runNode({
		parameters: optOut('remove', { optOutPhone: '={{ $json.phone }}' }),
		items: [{ phone: '+4915130000011' }, { phone: '+4915130000099' }],
		credentials: env.credentials(),
	});
	expect(removed.outputs[0].map((o) => o.json)).toEqual([
		{ phone: '+4915130000011', optedOut: false, removed: true },
		{ phone: '+4915130000099', optedOut: false, removed: false },
	]);
	expect(await listed()).toEqual(['+4915130000012 unsubscribed on the website']);
});

test('when a phone number is not one, then the item fails with its index, or with Continue On Fail keeps its fields beside the error, and nothing is written', async () => {
	const parameters = optOut('add', { optOutPhone: '={{ $json.phone }}' });
	const items = [{ phone: '+4915130000021' }, { phone: 'call me', crmId: 'c9' }];
	const failed = await runNode({ parameters, items, credentials: env.credentials() });
	expect(failed.error?.message).toContain('Invalid phone number');
	expect(failed.error?.context?.itemIndex).toBe(1);

	await env.server.sql('DELETE FROM opt_outs');
	const kept = await runNode({
		parameters,
		items,
		credentials: env.credentials(),
		continueOnFail: true,
	});
	expect(kept.outputs[0][1].json).toMatchObject({ crmId: 'c9', phone: 'call me' });
	expect(kept.outputs[0][1].json.error).toContain('Invalid phone number');
	expect(await listed()).toEqual(['+4915130000021']);
});
