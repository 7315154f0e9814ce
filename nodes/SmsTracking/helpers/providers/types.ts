import type { IDataObject } from 'n8n-workflow';

export type ProviderName = 'seven' | 'twilio';

export interface OutgoingSms {
	to: string;
	text: string;
}

export interface SentSms {
	provider: ProviderName;
	providerMessageId: string;
	/** Segments as the provider counted them, when it says. */
	segments?: number;
	response: IDataObject;
}

/** Form and JSON answers may arrive as text when the body was sent form-encoded. */
export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}
