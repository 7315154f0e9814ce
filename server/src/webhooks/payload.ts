/** A claimed delivery joined with its event, its link and its subscription (see queue.ts). */
export interface DeliveryRow {
	id: string;
	attempts: number;
	subscription_id: string;
	target_url: string;
	secret: string;
	event_id: string;
	type: string;
	occurred_at: Date;
	campaign_id: string;
	recipient: string | null;
	url: string | null;
	code: string | null;
	variant: string | null;
	click_id: string | null;
	device_type: string | null;
	os: string | null;
	browser: string | null;
	country: string | null;
	conversion_name: string | null;
	conversion_value: string | null;
	conversion_currency: string | null;
}

/** The webhook body (design section 7), built when the delivery is sent. */
export interface WebhookPayload {
	id: string;
	type: string;
	occurredAt: string;
	campaignId: string;
	recipient: string | null;
	url: string | null;
	shortUrl: string | null;
	code: string | null;
	variant: string | null;
	clickId: string | null;
	device: { type: string | null; os: string | null; browser: string | null };
	country: string | null;
	conversion?: { name: string | null; value: number | null; currency: string | null };
}

export function buildPayload(row: DeliveryRow, publicBaseUrl: string): WebhookPayload {
	const payload: WebhookPayload = {
		id: row.event_id,
		type: row.type,
		occurredAt: row.occurred_at.toISOString(),
		campaignId: row.campaign_id,
		recipient: row.recipient,
		url: row.url,
		shortUrl: row.code ? `${publicBaseUrl}/${row.code}` : null,
		code: row.code,
		variant: row.variant,
		clickId: row.click_id,
		device: { type: row.device_type, os: row.os, browser: row.browser },
		country: row.country,
	};
	if (row.type === 'conversion') {
		payload.conversion = {
			name: row.conversion_name,
			value: row.conversion_value === null ? null : Number(row.conversion_value),
			currency: row.conversion_currency,
		};
	}
	return payload;
}
