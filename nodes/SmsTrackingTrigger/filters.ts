import type { IHookFunctions, INodeProperties } from 'n8n-workflow';

/**
 * The trigger's options, sent as the subscription's filters: the tracking server applies them
 * before it queues a delivery, so n8n is not woken for events the workflow would drop.
 */
export interface SubscriptionFilters {
	firstPerRecipient: boolean;
	urlContains: string | null;
	variant: string | null;
	conversionName: string | null;
	wave: string | null;
}

export const noFilters: SubscriptionFilters = {
	firstPerRecipient: false,
	urlContains: null,
	variant: null,
	conversionName: null,
	wave: null,
};

export const filterOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Conversion Name',
			name: 'conversionName',
			type: 'string',
			default: '',
			placeholder: 'purchase',
			description:
				'Only conversions of this name (exact match); other event types are not affected',
		},
		{
			displayName: 'First Event per Recipient Only',
			name: 'firstPerRecipient',
			type: 'boolean',
			default: false,
			description:
				'Whether to start only for the first event of each type per recipient and campaign (e.g. only their first click). Counted from the activation of this trigger; changing its options starts the count afresh.',
		},
		{
			displayName: 'Link URL Contains',
			name: 'urlContains',
			type: 'string',
			default: '',
			placeholder: '/pricing',
			description:
				"Only clicks, views and conversions whose link's destination contains this text (any case); delivery reports are not affected",
		},
		{
			displayName: 'Variant',
			name: 'variant',
			type: 'string',
			default: '',
			placeholder: 'A',
			description: 'Only events of recipients in this A/B variant',
		},
		{
			displayName: 'Wave',
			name: 'wave',
			type: 'string',
			default: '',
			placeholder: 'Reminder',
			description:
				"Only events of this send wave (the Wave of Send or Shorten Links), e.g. clicks on the reminder's links",
		},
	],
};

const text = (value: unknown) =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** The filters the trigger's options ask for; empty fields are no filter. */
export function wantedFilters(ctx: IHookFunctions): SubscriptionFilters {
	const options = ctx.getNodeParameter('options', {}) as Record<string, unknown>;
	return {
		firstPerRecipient: options.firstPerRecipient === true,
		urlContains: text(options.urlContains),
		variant: text(options.variant),
		conversionName: text(options.conversionName),
		wave: text(options.wave),
	};
}

/** Whether the server's filters are those wanted (a server that shows none has none). */
export function sameFilters(
	have: Partial<SubscriptionFilters> | undefined,
	want: SubscriptionFilters,
) {
	const server = { ...noFilters, ...have };
	return (Object.keys(noFilters) as Array<keyof SubscriptionFilters>).every(
		(key) => (server[key] ?? null) === want[key],
	);
}

/** The filters as the subscriptions API takes them: only those set. */
export function filtersBody(want: SubscriptionFilters): Record<string, string | boolean> {
	const body: Record<string, string | boolean> = {};
	if (want.firstPerRecipient) body.firstPerRecipient = true;
	for (const key of ['urlContains', 'variant', 'conversionName', 'wave'] as const) {
		const value = want[key];
		if (value !== null) body[key] = value;
	}
	return body;
}
