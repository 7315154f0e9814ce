import { storeEvents } from '../../support/events';
import { runNode } from '../../support/n8n';
import { useServerAndSeven } from '../../support/node-workflows';

const env = useServerAndSeven();

const op = (
	resource: string,
	operation: string,
	parameters: Record<string, unknown>,
	continueOnFail = false,
) =>
	runNode({
		parameters: { resource, operation, ...parameters },
		items: [{}],
		credentials: env.credentials(),
		continueOnFail,
		typeVersion: 2,
	});

const android = { deviceType: 'mobile', os: 'Android', browser: 'Chrome' };
const ios = { deviceType: 'mobile', os: 'iOS', browser: 'Mobile Safari' };
const sale = 'https://shop.example/sale';
const who = {
	deAndroid: '+4915200000401', // clicked on Android in DE, did not convert
	deAndroidBuyer: '+4915200000402', // clicked on Android in DE, converted
	atAndroid: '+4915200000403', // clicked on Android in AT
	deIos: '+4915200000404', // clicked on iOS in DE
	quiet: '+4915200000405', // sent, never clicked
	failed: '+4915200000406', // the send failed
	heldDeAndroid: '+4915200000407', // hold-out, clicked on Android in DE (a later send)
	held: '+4915200000408', // hold-out, never clicked
};

/** A campaign with the recipients above: links and sends through the API, clicks as the redirect stores them. */
async function seed(): Promise<string> {
	const id = await env.campaign('segments');
	const everyone = Object.values(who);
	const held = [who.heldDeAndroid, who.held];
	const links = await env.server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: everyone.map((recipient) => ({
			recipient,
			urls: [sale],
			metadata: { contactId: `c-${recipient.slice(-3)}` },
		})),
	});
	const code = (recipient: string) =>
		links.body.links.find((l: any) => l.recipient === recipient).code;
	await env.server.api('POST', `/api/v1/campaigns/${id}/messages`, {
		messages: everyone.map((recipient, i) =>
			held.includes(recipient)
				? { recipient, status: 'holdout', variant: 'holdout' }
				: recipient === who.failed
					? { recipient, status: 'failed', provider: 'seven' }
					: { recipient, status: 'sent', provider: 'seven', providerMessageId: `${id}-${i}` },
		),
	});
	const click = (recipient: string, device: object, country: string) => ({
		type: 'click' as const,
		campaignId: id,
		code: code(recipient),
		recipient,
		url: sale,
		clickId: `${id.slice(-8)}${recipient.slice(-3)}`.padEnd(22, 'x'),
		country,
		...device,
	});
	await storeEvents(env.server, [
		click(who.deAndroid, android, 'DE'),
		click(who.deAndroidBuyer, android, 'DE'),
		click(who.atAndroid, android, 'AT'),
		click(who.deIos, ios, 'DE'),
		click(who.heldDeAndroid, android, 'DE'),
		{
			type: 'conversion',
			campaignId: id,
			recipient: who.deAndroidBuyer,
			conversionName: 'purchase',
		},
	]);
	return id;
}

let id: string;
beforeAll(async () => {
	id = await seed();
});

const recipients = async (filters: Record<string, unknown>) => {
	const run = await op('campaign', 'getRecipients', { campaignId: id, returnAll: true, filters });
	expect(run.error).toBeUndefined();
	return run.outputs[0].map((o) => o.json.recipient).sort();
};

test('when Get Recipients asks for Android clickers in DE who did not convert, hold-out excluded, then exactly those come back with their metadata', async () => {
	const run = await op('campaign', 'getRecipients', {
		campaignId: id,
		returnAll: true,
		filters: {
			os: 'Android',
			country: 'DE',
			clicked: 'true',
			converted: 'false',
			holdout: 'exclude',
		},
	});
	expect(run.outputs[0].map((o) => o.json)).toEqual([
		expect.objectContaining({
			recipient: who.deAndroid,
			status: 'sent',
			clicks: 1,
			conversions: 0,
			metadata: { contactId: 'c-401' },
		}),
	]);
	expect(
		await recipients({ os: 'Android', country: 'DE', converted: 'false', holdout: 'include' }),
	).toEqual([who.deAndroid, who.heldDeAndroid].sort());
});

test('when Get Recipients asks for who did not click, then the hold-out and failed sends are left out unless Status or Hold-Out asks for them', async () => {
	expect(await recipients({ clicked: 'false' })).toEqual([who.quiet]);
	expect(await recipients({ clicked: 'false', holdout: 'include' })).toEqual(
		[who.held, who.quiet].sort(),
	);
	expect(await recipients({ clicked: 'false', status: 'failed' })).toEqual([who.failed]);
	expect(await recipients({ status: 'holdout' })).toEqual([who.heldDeAndroid, who.held].sort());
	// the variant field of version 1 workflows still lists the hold-out by its name
	expect(await recipients({ variant: 'holdout' })).toEqual([who.heldDeAndroid, who.held].sort());
});

test('when Get Recipients filters by device type, link and recent clicks, then each answers from what the recipients did', async () => {
	expect(await recipients({ deviceType: 'mobile', holdout: 'exclude' })).toEqual(
		[who.deAndroid, who.deAndroidBuyer, who.atAndroid, who.deIos].sort(),
	);
	expect(await recipients({ url: sale, country: 'AT' })).toEqual([who.atAndroid]);
	expect(await recipients({ clickedWithinHours: 1, os: 'iOS' })).toEqual([who.deIos]);
	expect(await recipients({ notClickedWithinHours: 1 })).toEqual([who.quiet]);
});

test('when Get Recipients has a country that is not one, then the item fails with the server reason', async () => {
	const run = await op(
		'campaign',
		'getRecipients',
		{ campaignId: id, returnAll: true, filters: { country: 'Germany' } },
		true,
	);
	expect(run.outputs[0][0].json.error).toContain('country must be');
});

test('when Event → Get Many asks for one recipient’s clicks, then it returns exactly those events with the recipient metadata', async () => {
	const run = await op('event', 'getAll', {
		campaignId: id,
		returnAll: true,
		filters: { types: ['click', 'conversion'], recipient: who.deAndroidBuyer },
	});
	expect(run.error).toBeUndefined();
	expect(run.outputs[0].map((o) => o.json.type)).toEqual(['click', 'conversion']);
	expect(run.outputs[0][0].json).toMatchObject({
		recipient: who.deAndroidBuyer,
		url: sale,
		device: { type: 'mobile', os: 'Android', browser: 'Chrome' },
		country: 'DE',
		recipientMetadata: { contactId: 'c-402' },
	});
	expect(run.outputs[0].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
});

test('when Event → Get Many has a limit and a time range, then it returns at most that many of the events in the range', async () => {
	const all = await op('event', 'getAll', {
		campaignId: id,
		returnAll: true,
		filters: { types: ['click'] },
	});
	expect(all.outputs[0]).toHaveLength(5);
	const some = await op('event', 'getAll', {
		campaignId: id,
		returnAll: false,
		limit: 2,
		filters: { types: ['click'] },
	});
	expect(some.outputs[0].map((o) => o.json.id)).toEqual(
		all.outputs[0].slice(0, 2).map((o) => o.json.id),
	);
	const future = await op('event', 'getAll', {
		campaignId: id,
		returnAll: true,
		filters: { from: new Date(Date.now() + 3_600_000).toISOString() },
	});
	expect(future.outputs[0]).toEqual([]);
	const past = await op('event', 'getAll', {
		campaignId: id,
		returnAll: true,
		filters: { to: new Date(Date.now() - 3_600_000).toISOString() },
	});
	expect(past.outputs[0]).toEqual([]);
});

test('when Event → Get Many names a recipient that is not a phone number, then the item fails naming the recipient as invalid', async () => {
	const run = await op(
		'event',
		'getAll',
		{ campaignId: id, returnAll: true, filters: { recipient: 'Ana' } },
		true,
	);
	expect(run.outputs[0][0].json.error).toContain('Invalid recipient');
});
