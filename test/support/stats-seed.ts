import type { EventType, NewEvent } from '../../server/src/events/types';
import { storeEvents } from './events';
import type { TestServer } from './server';

/**
 * A small campaign whose every number is known (see the expectations in test/server/stats.test.ts):
 * two variants and a hold-out, repeat clicks, previews, bots, delivery reports, conversions in the
 * campaign's currency, without currency and in another currency. Campaign and links go through the
 * API; events through the events store, as the redirect and the conversion endpoints store them
 * (outbox included); messages, whose writers are the send and delivery-report paths, with SQL.
 */
export const t0 = Date.parse('2026-11-20T09:00:00Z');
export const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

export const people = {
	a1: '+4915100000001',
	a2: '+4915100000002',
	a3: '+4915100000003',
	a4: '+4915100000004',
	b1: '+4915100000011',
	b2: '+4915100000012',
	b3: '+4915100000013',
	h1: '+4915100000021',
	h2: '+4915100000022',
};
export const sale = 'https://shop.example/sale';
export const info = 'https://shop.example/info';

const mobileIos = { deviceType: 'mobile', os: 'iOS', browser: 'Mobile Safari', country: 'DE' };
const mobileAndroid = { deviceType: 'mobile', os: 'Android', browser: 'Chrome', country: 'DE' };
const desktop = { deviceType: 'desktop', os: 'Windows', browser: 'Chrome', country: 'AT' };

export async function seedKnownCampaign(
	server: TestServer,
	name = 'Known answers',
): Promise<string> {
	const created = await server.api('POST', '/api/v1/campaigns', {
		name,
		variants: [
			{ name: 'A', weight: 1 },
			{ name: 'B', weight: 1 },
		],
		holdout: 0.2,
		costPerSegment: 0.05,
		currency: 'EUR',
	});
	if (created.status !== 201) throw new Error(`campaign: ${JSON.stringify(created.body)}`);
	const id: string = created.body.id;
	const p = people;
	const recipients = [
		{ recipient: p.a1, urls: [sale, info], variant: 'A' },
		...[p.a2, p.a3, p.a4].map((recipient) => ({ recipient, urls: [sale], variant: 'A' })),
		...[p.b1, p.b2, p.b3].map((recipient) => ({ recipient, urls: [sale], variant: 'B' })),
		...[p.h1, p.h2].map((recipient) => ({ recipient, urls: [sale], variant: 'holdout' })),
	];
	const links = await server.api('POST', `/api/v1/campaigns/${id}/links`, { recipients });
	if (links.status !== 200) throw new Error(`links: ${JSON.stringify(links.body)}`);
	const code = (recipient: string, url: string) =>
		links.body.links.find((l: any) => l.recipient === recipient && l.url === url).code;

	const messages: Array<[string, string, string, number, string | null]> = [
		[p.a1, 'A', 'delivered', 2, 'm-a1'],
		[p.a2, 'A', 'sent', 2, 'm-a2'],
		[p.a3, 'A', 'sent', 2, 'm-a3'],
		[p.a4, 'A', 'failed', 2, 'm-a4'], // failed after the provider accepted it: sent and charged
		[p.b1, 'B', 'sent', 1, 'm-b1'],
		[p.b2, 'B', 'sent', 1, 'm-b2'],
		[p.b3, 'B', 'failed', 1, null], // rejected by the provider: not sent, not charged
		[p.h1, 'holdout', 'holdout', 1, null],
		[p.h2, 'holdout', 'holdout', 1, null],
	];
	for (const [recipient, variant, status, segments, providerId] of messages) {
		await server.sql(
			`INSERT INTO messages (campaign_id, recipient, variant, provider, provider_message_id, segments, status, sent_at)
			 VALUES ($1, $2, $3, 'seven', $4, $5, $6, $7)`,
			[id, recipient, variant, providerId ? `${id}-${providerId}` : null, segments, status, at(0)],
		);
	}

	type Ev = {
		type: EventType;
		who: string;
		url?: string | null;
		minute: number;
		extra?: Partial<NewEvent>;
	};
	const events: Ev[] = [
		{
			type: 'view',
			who: p.a1,
			url: sale,
			minute: 1,
			extra: { userAgent: 'facebookexternalhit/1.1 Facebot Twitterbot/1.0' },
		},
		{ type: 'click', who: p.a1, url: sale, minute: 10, extra: mobileIos },
		{ type: 'click', who: p.a1, url: sale, minute: 60, extra: mobileIos },
		{ type: 'click', who: p.a1, url: info, minute: 120, extra: mobileIos },
		{ type: 'click', who: p.a2, url: sale, minute: 30, extra: desktop },
		{
			type: 'conversion',
			who: p.a2,
			url: sale,
			minute: 40,
			extra: { conversionName: 'purchase', conversionValue: 49.9, conversionCurrency: 'EUR' },
		},
		{ type: 'view', who: p.a3, url: sale, minute: 2 },
		{
			type: 'bot',
			who: p.a3,
			url: sale,
			minute: 5,
			extra: { userAgent: 'curl/8.0', deviceType: 'desktop', country: 'US' },
		},
		{ type: 'delivered', who: p.b1, minute: 1 },
		{ type: 'click', who: p.b1, url: sale, minute: 20, extra: mobileAndroid },
		{
			type: 'conversion',
			who: p.b1,
			minute: 50,
			extra: { conversionName: 'purchase', conversionValue: 20, conversionCurrency: 'EUR' },
		},
		{
			type: 'conversion',
			who: p.b1,
			minute: 55,
			extra: { conversionName: 'purchase', conversionValue: 15, conversionCurrency: 'USD' },
		},
		{
			type: 'conversion',
			who: p.b1,
			minute: 65,
			extra: { conversionName: 'signup', conversionValue: 5 },
		},
		{
			type: 'bot',
			who: p.b2,
			url: sale,
			minute: 3,
			extra: { userAgent: 'Googlebot', country: 'US' },
		},
		{
			type: 'bot',
			who: p.b2,
			url: sale,
			minute: 4,
			extra: { userAgent: 'Googlebot', country: 'US' },
		},
		{ type: 'click', who: p.h1, url: sale, minute: 180, extra: mobileAndroid },
	];
	const variantOf = (who: string) => messages.find((m) => m[0] === who)![1];
	await storeEvents(
		server,
		events.map((e, i) => ({
			eventKey: `${id}-${i}`,
			type: e.type,
			occurredAt: new Date(at(e.minute)),
			campaignId: id,
			recipient: e.who,
			variant: variantOf(e.who),
			url: e.url ?? null,
			code: e.url ? code(e.who, e.url) : null,
			...e.extra,
		})),
	);
	return id;
}
