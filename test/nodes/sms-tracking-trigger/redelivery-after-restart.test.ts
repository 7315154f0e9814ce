import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { IDataObject, INodeType } from 'n8n-workflow';
import { maxPersistedIds } from '../../../nodes/SmsTrackingTrigger/recentIds';
import { startN8nHost, type N8nHost } from '../../support/n8n-host';
import { request, startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
const hosts: N8nHost[] = [];
beforeAll(async () => {
	server = await startTestServer({ PUBLIC_BASE_URL: 'https://go.shop.example' });
});
afterAll(async () => {
	for (const host of hosts) await host.close();
	await server.close();
});

/**
 * The trigger node as a freshly started n8n process loads it: its own copy of the node's modules,
 * so nothing kept in module memory by an earlier "process" is there.
 */
function freshTriggerModule(): INodeType {
	let nodeType: INodeType | undefined;
	jest.isolateModules(() => {
		const {
			SmsTrackingTrigger,
		} = require('../../../nodes/SmsTrackingTrigger/SmsTrackingTrigger.node');
		nodeType = new SmsTrackingTrigger();
	});
	return nodeType!;
}

async function host(staticData?: IDataObject) {
	const h = await startN8nHost(freshTriggerModule(), {
		serverUrl: server.url,
		apiKey: server.apiKey,
		parameters: { events: ['click'], campaignId: '' },
		staticData,
	});
	hosts.push(h);
	return h;
}

/** The static data as n8n saves it to its database and reads it back. */
const savedAndLoaded = (n8n: N8nHost) =>
	JSON.parse(JSON.stringify(n8n.workflow.staticData)) as IDataObject;

// Signed by the standardwebhooks package: an implementation independent of the node's.
function signed(
	secret: string,
	body: string,
	id = `msg_${randomBytes(8).toString('hex')}`,
	at = new Date(),
) {
	return {
		'content-type': 'application/json',
		'webhook-id': id,
		'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
		'webhook-signature': new Webhook(secret).sign(id, at, body),
	};
}
const payload = JSON.stringify({
	id: '1',
	type: 'click',
	campaignId: 'cmp_x',
	recipient: '+4915112345678',
});
const emitted = (n8n: N8nHost) => n8n.calls.filter((call) => call.workflowData).length;

test('when a delivery is accepted, then its id is in the static data and n8n is told the static data changed (so it saves it)', async () => {
	const n8n = await host();
	await n8n.create();
	const { secret } = n8n.staticData() as { secret: string };
	n8n.workflow.staticData.__dataChanged = false;
	const headers = signed(secret, payload);
	expect((await request(n8n.webhookUrl, 'POST', payload, headers)).status).toBe(200);
	expect(n8n.staticData().recentIds).toEqual([headers['webhook-id']]);
	expect(n8n.workflow.staticData.__dataChanged).toBe(true);
});

test('when n8n restarts between a delivery and its retry, then the retry is acknowledged as a duplicate and the workflow does not run again', async () => {
	const before = await host();
	await before.create();
	const { secret } = before.staticData() as { secret: string };
	const headers = signed(secret, payload);
	expect((await request(before.webhookUrl, 'POST', payload, headers)).status).toBe(200);
	expect(emitted(before)).toBe(1);

	const after = await host(savedAndLoaded(before));
	const retry = signed(secret, payload, headers['webhook-id'], new Date(Date.now() + 1000));
	const res = await request(after.webhookUrl, 'POST', payload, retry);
	expect([res.status, res.body]).toEqual([200, { received: true, duplicate: true }]);
	expect(emitted(after)).toBe(0);
	// A new delivery still runs the workflow after the restart.
	expect((await request(after.webhookUrl, 'POST', payload, signed(secret, payload))).status).toBe(
		200,
	);
	expect(emitted(after)).toBe(1);
});

test('when more deliveries arrive than static data keeps, then the oldest ids are dropped and the list stays bounded', async () => {
	const n8n = await host();
	await n8n.create();
	const { secret } = n8n.staticData() as { secret: string };
	const older = Array.from({ length: maxPersistedIds + 2 }, (_, i) => `msg_old_${i}`);
	(n8n.staticData() as { recentIds: string[] }).recentIds = older.slice(0, maxPersistedIds);
	const headers = signed(secret, payload, 'msg_newest');
	expect((await request(n8n.webhookUrl, 'POST', payload, headers)).status).toBe(200);
	const kept = n8n.staticData().recentIds as string[];
	expect(kept).toHaveLength(maxPersistedIds);
	expect(kept[0]).toBe('msg_old_1');
	expect(kept.at(-1)).toBe('msg_newest');
});

test('when the workflow is deactivated, then the remembered ids go with the subscription', async () => {
	const n8n = await host();
	await n8n.create();
	const { secret } = n8n.staticData() as { secret: string };
	await request(n8n.webhookUrl, 'POST', payload, signed(secret, payload));
	expect(n8n.staticData().recentIds).toHaveLength(1);
	await n8n.remove();
	expect(n8n.staticData()).toEqual({});
});
