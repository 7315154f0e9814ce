import type { TrackingServer } from './tracking-server';

/**
 * A campaign and one short link per recipient made directly on the tracking server (what an
 * earlier send would have made), for the scenarios about what happens after the send.
 */
export async function campaignWithLinks(
	tracking: TrackingServer,
	name: string,
	recipients: string[],
	settings: Record<string, unknown> = {},
	metadata: Record<string, Record<string, unknown>> = {},
): Promise<{ campaignId: string; links: Record<string, string> }> {
	const campaign = await tracking.api('POST', '/api/v1/campaigns', { name, ...settings });
	if (campaign.status !== 201)
		throw new Error(`campaign not created: ${campaign.status} ${JSON.stringify(campaign.body)}`);
	const created = await tracking.api('POST', `/api/v1/campaigns/${campaign.body.id}/links`, {
		recipients: recipients.map((recipient) => ({
			recipient,
			urls: ['https://shop.example.com/spring'],
			...(metadata[recipient] ? { metadata: metadata[recipient] } : {}),
		})),
	});
	if (created.status !== 200 && created.status !== 201)
		throw new Error(`links not created: ${created.status} ${JSON.stringify(created.body)}`);
	const links: Record<string, string> = {};
	for (const link of created.body.links as Array<{ recipient: string; shortUrl: string }>)
		links[link.recipient] = link.shortUrl;
	return { campaignId: campaign.body.id, links };
}

/** The tracking server's webhook subscriptions that call back to this n8n. */
export async function subscriptionsTo(
	tracking: TrackingServer,
	n8nUrl: string,
): Promise<Array<{ id: string; url: string; events: string[] }>> {
	const res = await tracking.api('GET', '/api/v1/webhooks');
	if (res.status !== 200) throw new Error(`GET /api/v1/webhooks → ${res.status}`);
	return (res.body.webhooks as Array<{ id: string; url: string; events: string[] }>).filter((w) =>
		w.url.startsWith(n8nUrl),
	);
}
