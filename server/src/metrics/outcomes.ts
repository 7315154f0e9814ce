/**
 * The label values the metrics know. Fixed lists, so the number of series never depends on the
 * data (no code, campaign, phone number or URL ever becomes a label).
 */
export const redirectOutcomes = [
	'click',
	'view',
	'bot',
	'unknown',
	'expired',
	'capped',
	'untracked',
	'unavailable',
] as const;

/** How one hit on a short link ended. */
export type RedirectOutcome = (typeof redirectOutcomes)[number];

/** What one webhook attempt meant for its delivery (a failure that will be retried is `retry`). */
export const deliveryResults = ['delivered', 'retry', 'failed'] as const;

export type DeliveryResult = (typeof deliveryResults)[number];
