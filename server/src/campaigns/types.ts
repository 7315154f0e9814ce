import type { z } from 'zod';
import type { campaign, campaignChangesBody, campaignQuery, newCampaignBody } from './schemas';

/** The campaign as the API shows it and the features read it. */
export type Campaign = z.output<typeof campaign>;

export type NewCampaign = Omit<z.output<typeof newCampaignBody>, 'ifNameExists'>;

/** What an existing campaign of the same name means to POST /campaigns (absent: create another). */
export type IfNameExists = 'return' | 'fail';

/** The body of PATCH /campaigns/:id: only the fields given change; null clears an optional one. */
export type CampaignChanges = z.output<typeof campaignChangesBody>;

export const campaignStatuses = ['active', 'archived', 'all'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** GET /campaigns: one page, newest first, after the cursor (the last id of the previous page). */
export type CampaignQuery = z.output<typeof campaignQuery>;

/** UTM parameters the redirect merges into every destination of the campaign. */
export interface Utm {
	source?: string;
	medium?: string;
	campaign?: string;
	term?: string;
	content?: string;
}

/** One arm of an A/B test: its name and its share of the recipients (relative weight). */
export interface Variant {
	name: string;
	weight: number;
	/**
	 * What the variant sends, as the Send node last set it (its template when the text is an n8n
	 * expression), so a winner can be sent without typing it again. Not part of the split.
	 */
	text?: string;
}

/** The name recipients held back from an A/B test carry in place of a variant. */
export const holdoutVariant = 'holdout';
