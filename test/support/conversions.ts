import { randomBytes } from 'node:crypto';
import { insertEvents } from '../../server/src/events/store';
import type { TestServer } from './server';

export interface SeededClick {
	campaignId: string;
	recipient: string;
	code: string;
	url: string;
	variant: string | null;
	clickId: string;
}

/** A campaign with one recipient's link, created through the API. */
export async function campaignWithLink(
	server: TestServer,
	options: { recipient?: string; url?: string; currency?: string; variants?: unknown } = {},
): Promise<{ campaignId: string; recipient: string; code: string; url: string; shortUrl: string; variant: string | null }> {
	const recipient = options.recipient ?? '+4915112345678';
	const url = options.url ?? 'https://shop.example/landing';
	const campaign = await server.api('POST', '/api/v1/campaigns', {
		name: 'conversions',
		conversionTracking: true,
		...(options.currency ? { currency: options.currency } : {}),
		...(options.variants ? { variants: options.variants } : {}),
	});
	if (campaign.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(campaign.body)}`);
	const links = await server.api('POST', `/api/v1/campaigns/${campaign.body.id}/links`, { recipients: [{ recipient, urls: [url] }] });
	const link = links.body.links[0];
	return { campaignId: campaign.body.id, recipient, code: link.code, url, shortUrl: link.shortUrl, variant: link.variant };
}

/**
 * A click as the redirect records it (a click event with its click id), stored through the same
 * insertEvents the redirect uses, so conversion tests do not depend on the redirect's timing.
 */
export async function seedClick(server: TestServer, options: { recipient?: string; url?: string; currency?: string; variants?: unknown } = {}): Promise<SeededClick> {
	return storeClick(server, await campaignWithLink(server, options));
}

/**
 * Another click with a new click id on a link already there (e.g. a visitor of a forwarded SMS),
 * stored as the redirect records it.
 */
export async function storeClick(server: TestServer, link: Omit<SeededClick, 'clickId'>): Promise<SeededClick> {
	const clickId = randomBytes(15).toString('base64url').replace(/[-_]/g, 'x');
	const click: SeededClick = { campaignId: link.campaignId, recipient: link.recipient, code: link.code, url: link.url, variant: link.variant, clickId };
	await insertEvents(server.db, [{ eventKey: `test-click-${clickId}`, type: 'click', occurredAt: new Date(), ...click }]);
	return click;
}

export async function conversionsOf(server: TestServer, campaignId: string): Promise<any[]> {
	return server.sql(
		`SELECT campaign_id, recipient, code, url, variant, click_id, conversion_name, conversion_value::float8 AS value,
		        conversion_currency, idempotency_key
		 FROM events WHERE type = 'conversion' AND campaign_id = $1 ORDER BY id`,
		[campaignId],
	);
}

export async function countConversions(server: TestServer): Promise<number> {
	const [{ count }] = await server.sql(`SELECT count(*)::int AS count FROM events WHERE type = 'conversion'`);
	return count;
}
