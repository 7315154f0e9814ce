import { runNode } from '../../support/n8n';
import { useServerAndSeven } from '../../support/node-workflows';

/** Campaign → Get Tracking Code: the tags for the shop's pages, and whether the campaign tracks conversions. */
const env = useServerAndSeven();

const getCode = (campaignId: string, trackingCodeOptions = {}) =>
	runNode({
		parameters: {
			resource: 'campaign',
			operation: 'getTrackingCode',
			campaignId,
			trackingCodeOptions,
		},
		items: [{}],
		credentials: env.credentials(),
	});

test('when the campaign tracks conversions, then the item holds the script, the conversion call with the example filled in, and the pixel', async () => {
	const campaignId = (
		await env.server.api('POST', '/api/v1/campaigns', { name: 'tracked', conversionTracking: true })
	).body.id;
	const run = await getCode(campaignId, { name: 'signup', value: 9.9, currency: 'USD' });
	expect(run.error).toBeUndefined();
	const [item] = run.outputs[0];
	expect(item.pairedItem).toEqual({ item: 0 });
	expect(item.json).toMatchObject({
		campaignId,
		campaignName: 'tracked',
		conversionTracking: true,
		scriptUrl: expect.stringMatching(/\/t\.js\?v=/),
	});
	expect(item.json.script).toContain(`<script src="${String(item.json.scriptUrl)}"`);
	expect(item.json.conversion).toBe(
		'<script>smsTracking.conversion({ name: "signup", value: 9.9, currency: "USD", idempotencyKey: "ORDER-ID" });</script>',
	);
	expect(item.json.warning).toBeUndefined();
});

test('when the campaign does not track conversions, then the item warns that its clicks carry no click id', async () => {
	const campaignId = await env.campaign('untracked');
	const run = await getCode(campaignId);
	expect(run.outputs[0][0].json).toMatchObject({
		conversionTracking: false,
		warning: expect.stringMatching(/^Conversion tracking is off for this campaign/),
	});
});
