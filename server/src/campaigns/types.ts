import type { AbTestRule } from '../ab-tests/rule';
import type { WinnerReport } from '../ab-tests/report';

/** The campaign as the API shows it and the features read it. */
export interface Campaign {
	id: string;
	name: string;
	conversionTracking: boolean;
	fallbackUrl: string | null;
	utm: Utm | null;
	variants: Variant[] | null;
	holdout: number;
	costPerSegment: number | null;
	currency: string | null;
	winner: string | null;
	/** How the server concludes the A/B test by itself; null: only by hand (Pick Winner). */
	abTestRule: AbTestRule | null;
	/** What the rule decided (winner, tie, p-value, rates), once it did; null before. */
	abTestResult: WinnerReport | null;
	createdAt: string;
	/** When the campaign was archived (hidden from lists; its links keep redirecting); null: active. */
	archivedAt: string | null;
}

export interface NewCampaign {
	name: string;
	conversionTracking: boolean;
	fallbackUrl?: string;
	utm?: Utm;
	variants?: Variant[];
	holdout: number;
	costPerSegment?: number;
	currency?: string;
	abTestRule?: AbTestRule;
}

/** What an existing campaign of the same name means to POST /campaigns (absent: create another). */
export type IfNameExists = 'return' | 'fail';

/** The body of PATCH /campaigns/:id: only the fields given change; null clears an optional one. */
export interface CampaignChanges {
	name?: string;
	conversionTracking?: boolean;
	fallbackUrl?: string | null;
	utm?: Utm | null;
	costPerSegment?: number | null;
	currency?: string | null;
	variants?: Variant[];
	holdout?: number;
	/** null removes the rule (only before it decided). */
	abTestRule?: AbTestRule | null;
}

export const campaignStatuses = ['active', 'archived', 'all'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** GET /campaigns: one page, newest first, after the cursor (the last id of the previous page). */
export interface CampaignQuery {
	limit: number;
	cursor?: string;
	/** Part of the name, any case. */
	search?: string;
	status: CampaignStatus;
	createdFrom?: Date;
	createdTo?: Date;
}

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
