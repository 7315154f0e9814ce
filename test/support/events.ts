import { randomBytes } from 'node:crypto';
import { insertEvents } from '../../server/src/events/store';
import type { NewEvent } from '../../server/src/events/types';
import type { TestServer } from './server';

/** A campaign with one short link for one recipient, made through the API. */
export async function campaignWithLink(server: TestServer, recipient = '+4915112345678', url = 'https://shop.example/sale') {
	const campaign = (await server.api('POST', '/api/v1/campaigns', { name: 'webhooks', variants: [{ name: 'A' }, { name: 'B' }] })).body;
	const links = (await server.api('POST', `/api/v1/campaigns/${campaign.id}/links`, { recipients: [{ recipient, urls: [url] }] })).body;
	return { campaignId: campaign.id as string, link: links.links[0] as { code: string; shortUrl: string; recipient: string; url: string; variant: string } };
}

/** Stores events the way the redirect and the conversion endpoints do (events + outbox in one statement). */
export async function storeEvents(server: TestServer, events: Array<Partial<NewEvent> & Pick<NewEvent, 'type' | 'campaignId'>>) {
	return insertEvents(
		server.db,
		events.map((e) => ({
			eventKey: randomBytes(12).toString('hex'),
			occurredAt: new Date(),
			...e,
		})),
	);
}

/** `n` clicks on one link, each with its own click id: `${tag}0`, `${tag}1`, … */
export function clicks(on: { campaignId: string; code: string }, n: number, tag: string) {
	return Array.from({ length: n }, (_, i) => ({
		type: 'click' as const,
		campaignId: on.campaignId,
		code: on.code,
		clickId: `${tag}${i}`,
	}));
}
