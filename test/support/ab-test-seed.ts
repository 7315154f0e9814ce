import { storeEvents } from './events';
import type { TestServer } from './server';

export type VariantPlan = Record<
	string,
	{ sent: number; clickers: number; converters?: number; text?: string }
>;

/**
 * An A/B campaign whose variants were sent to `sent` recipients each, of whom the first `clickers`
 * clicked and the first `converters` converted, plus `holdout` hold-out recipients (messages with
 * status holdout), then `abTestRule`. Messages go in by SQL (the stats triggers keep the rollups), events through the
 * one events insert path.
 */
export async function seedAbCampaign(
	server: Pick<TestServer, 'api' | 'sql' | 'db'>,
	variants: VariantPlan,
	opts: { holdout?: number; name?: string; abTestRule?: unknown } = {},
): Promise<string> {
	const names = Object.keys(variants);
	const created = await server.api('POST', '/api/v1/campaigns', {
		name: opts.name ?? 'auto ab',
		variants: names.map((name) => ({
			name,
			...(variants[name].text ? { text: variants[name].text } : {}),
		})),
		holdout: 0.1,
	});
	if (created.status !== 201)
		throw new Error(`campaign not created: ${JSON.stringify(created.body)}`);
	const id = created.body.id as string;
	const events: Parameters<typeof storeEvents>[1] = [];
	for (const [index, [variant, { sent, clickers, converters = 0 }]] of Object.entries(
		variants,
	).entries()) {
		await server.sql(
			`INSERT INTO messages (campaign_id, recipient, variant, segments, status)
			 SELECT $1, '+49170' || $3 || lpad(i::text, 6, '0'), $2, 1, 'sent' FROM generate_series(1, $4::int) i`,
			[id, variant, index, sent],
		);
		for (let i = 1; i <= Math.max(clickers, converters); i++) {
			const recipient = `+49170${index}${String(i).padStart(6, '0')}`;
			const base = { campaignId: id, recipient, variant, url: 'https://shop.example/' };
			if (i <= clickers) events.push({ ...base, eventKey: `${id}-c-${recipient}`, type: 'click' });
			if (i <= converters) {
				events.push({
					...base,
					eventKey: `${id}-v-${recipient}`,
					type: 'conversion',
					conversionName: 'buy',
				});
			}
		}
	}
	const holdout = opts.holdout ?? 0;
	if (holdout > 0) {
		await server.sql(
			`INSERT INTO messages (campaign_id, recipient, variant, status)
			 SELECT $1, '+4917099' || lpad(i::text, 6, '0'), 'holdout', 'holdout' FROM generate_series(1, $2::int) i`,
			[id, holdout],
		);
	}
	if (events.length) await storeEvents(server as TestServer, events);
	// The rule comes last: a rule that decides at the first send must see the whole send.
	if (opts.abTestRule) {
		const ruled = await server.api('PATCH', `/api/v1/campaigns/${id}`, {
			abTestRule: opts.abTestRule,
		});
		if (ruled.status !== 200) throw new Error(`rule not set: ${JSON.stringify(ruled.body)}`);
	}
	return id;
}
