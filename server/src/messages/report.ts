import type { z } from 'zod';
import { parseMetadata, type RecipientMetadata } from '../recipients/metadata';
import { normalisePhone } from '../shared/phone';
import { defaultWave } from '../shared/waves';
import { codesInText } from './codes-in-text';
import type { messagesBody, messageStatuses } from './schemas';

/** A reported message before its codes are resolved: the recipient may come from its links. */
export interface ReportedMessage extends Omit<MessageInput, 'recipient'> {
	recipient: string | null;
	/** Short-link codes the message carried (given, or found in its text). */
	codes: string[];
	index: number;
}

export interface MessageReport {
	messages: ReportedMessage[];
	/** Whether a message without providerMessageId is recorded once per recipient and provider. */
	oncePerRecipient: boolean;
}

export interface MessageInput {
	recipient: string;
	variant: string | null;
	wave: string;
	provider: string | null;
	providerMessageId: string | null;
	segments: number | null;
	encoding: string | null;
	characters: number | null;
	status: (typeof messageStatuses)[number];
	error: string | null;
	/** Given with the message; stored per recipient, not per message. */
	metadata?: RecipientMetadata;
}

/**
 * Reads a POST /campaigns/:id/messages body its schema has checked: phone numbers to E.164 (with
 * DEFAULT_CALLING_CODE), metadata against its size limit, and the codes in a message's `text`
 * found with the public base URL (the text itself is not stored). Any bad entry rejects the whole
 * request.
 */
export function readReport(
	body: z.output<typeof messagesBody>,
	defaultCallingCode: string | undefined,
	publicBaseUrl: string,
	metadataMaxBytes: number,
): MessageReport {
	const requestWave = body.wave ?? defaultWave;
	const messages = body.messages.map((entry, i): ReportedMessage => {
		const field = `messages[${i}]`;
		const codes = [...new Set([...entry.codes, ...(entry.text ? codesInText(entry.text, publicBaseUrl) : [])])];
		const recipient =
			entry.recipient === undefined && codes.length > 0
				? null
				: normalisePhone(entry.recipient, defaultCallingCode, `${field}.recipient`);
		return {
			index: i,
			codes,
			recipient,
			variant: entry.variant,
			wave: entry.wave ?? requestWave,
			provider: entry.provider,
			providerMessageId: entry.providerMessageId,
			segments: entry.segments,
			encoding: entry.encoding,
			characters: entry.characters,
			status: entry.status,
			error: entry.error,
			metadata: parseMetadata(entry.metadata, metadataMaxBytes, `${field}.metadata`),
		};
	});
	return { messages, oncePerRecipient: body.oncePerRecipient };
}
