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
	createdAt: string;
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
}

/** The name recipients held back from an A/B test carry in place of a variant. */
export const holdoutVariant = 'holdout';
