import { runNode } from '../../support/n8n';
import { useServerAndSeven } from '../../support/node-workflows';

// Recipient → Erase Data run in n8n-core against the real server.
const env = useServerAndSeven();

const erase = (parameters: Record<string, unknown>) => ({
	resource: 'recipient',
	operation: 'erase',
	recipientPhone: '={{ $json.phone }}',
	...parameters,
});
const linksOf = async (phone: string) =>
	(await env.server.sql('SELECT count(*)::int AS n FROM links WHERE recipient = $1', [phone]))[0].n;

async function personWithLink(phone: string) {
	const id = await env.campaign(`erase ${phone}`);
	await env.server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: [{ recipient: phone, urls: ['https://shop.example/sale'] }],
	});
	return id;
}

test('when a person is erased through the node, then the server erases them and the item carries the counts', async () => {
	await personWithLink('+4915140000001');
	const run = await runNode({
		parameters: erase({ eraseForGood: true, recipientOptions: { defaultCallingCode: 'DE' } }),
		items: [{ phone: '0151 40000001' }, { phone: '+4915140000099' }],
		credentials: env.credentials(),
	});
	expect(run.error).toBeUndefined();
	expect(run.outputs[0].map((o) => [o.pairedItem, o.json])).toEqual([
		[
			{ item: 0 },
			expect.objectContaining({
				phone: '+4915140000001',
				erasureId: expect.stringMatching(/^era_/),
				campaigns: 1,
				links: 1,
			}),
		],
		[
			{ item: 1 },
			expect.objectContaining({ phone: '+4915140000099', erasureId: null, campaigns: 0 }),
		],
	]);
	expect(await linksOf('+4915140000001')).toBe(0);
});

test('when Erase for Good is off, then the item fails and nothing is erased', async () => {
	await personWithLink('+4915140000002');
	const run = await runNode({
		parameters: erase({}),
		items: [{ phone: '+4915140000002' }],
		credentials: env.credentials(),
	});
	expect(run.error?.message).toContain('Erase for Good');
	expect(await linksOf('+4915140000002')).toBe(1);
});

test('when a phone number is not one, then the item fails with its index, or with Continue On Fail keeps its fields beside the error, and nothing is erased', async () => {
	await personWithLink('+4915140000003');
	const items = [{ phone: 'call me', crmId: 'c1' }, { phone: '+4915140000003' }];
	const failed = await runNode({
		parameters: erase({ eraseForGood: true }),
		items,
		credentials: env.credentials(),
	});
	expect(failed.error?.message).toContain('Invalid phone number');
	expect(failed.error?.context?.itemIndex).toBe(0);
	expect(await linksOf('+4915140000003')).toBe(1);

	const kept = await runNode({
		parameters: erase({ eraseForGood: true }),
		items,
		credentials: env.credentials(),
		continueOnFail: true,
	});
	expect(kept.outputs[0][0].json).toMatchObject({ crmId: 'c1', phone: 'call me' });
	expect(kept.outputs[0][0].json.error).toContain('Invalid phone number');
	expect(kept.outputs[0][1].json).toMatchObject({ phone: '+4915140000003', links: 1 });
});
