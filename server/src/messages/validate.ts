import { badRequest } from '../http/errors';
import {
	asObject,
	onlyKnownFields,
	optionalBoolean,
	optionalNumber,
	optionalString,
	requiredArray,
} from '../http/validate';
import { normalisePhone } from '../shared/phone';
import { parseMetadata, type RecipientMetadata } from '../recipients/metadata';
import { codesInText } from './codes-in-text';
import { defaultWave, optionalWave } from '../shared/waves';

export const maxMessagesPerRequest = 10_000;
export const messageStatuses = ['sent', 'failed', 'holdout'] as const;
const maxCodesPerMessage = 50;
const maxTextLength = 10_000;

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

function optionalInteger(
	obj: Record<string, unknown>,
	key: string,
	max: number,
	field: string,
): number | null {
	const value = optionalNumber(obj, key, { min: 0, max }, field);
	if (value !== undefined && !Number.isInteger(value))
		throw badRequest(`${field} must be a whole number`);
	return value ?? null;
}

function optionalCodes(entry: Record<string, unknown>, field: string): string[] {
	if (entry.codes === undefined || entry.codes === null) return [];
	const codes = requiredArray(entry, 'codes', { max: maxCodesPerMessage }, `${field}.codes`);
	return codes.map((code, n) => {
		if (typeof code !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(code))
			throw badRequest(`${field}.codes[${n}] must be a short-link code (letters and digits)`);
		return code;
	});
}

/**
 * Parses a POST /campaigns/:id/messages body; any bad entry rejects the whole request. Codes in
 * a message's `text` are found with the public base URL; the text itself is not stored.
 */
export function parseMessages(
	body: unknown,
	defaultCallingCode: string | undefined,
	publicBaseUrl: string,
	metadataMaxBytes: number,
): MessageReport {
	const obj = asObject(body);
	onlyKnownFields(obj, ['messages', 'oncePerRecipient', 'wave']);
	const list = requiredArray(obj, 'messages', { min: 1, max: maxMessagesPerRequest });
	const oncePerRecipient = optionalBoolean(obj, 'oncePerRecipient') ?? false;
	const requestWave = optionalWave(obj.wave) ?? defaultWave;
	const messages = list.map((item, i): ReportedMessage => {
		const field = `messages[${i}]`;
		const entry = asObject(item, field);
		onlyKnownFields(
			entry,
			[
				'recipient',
				'variant',
				'wave',
				'provider',
				'providerMessageId',
				'segments',
				'encoding',
				'characters',
				'status',
				'error',
				'metadata',
				'codes',
				'text',
			],
			field,
		);
		const status = entry.status;
		if (typeof status !== 'string' || !(messageStatuses as readonly string[]).includes(status)) {
			throw badRequest(`${field}.status must be one of ${messageStatuses.join(', ')}`);
		}
		const provider =
			optionalString(entry, 'provider', 32, `${field}.provider`)?.toLowerCase() ?? null;
		if (provider !== null && !/^[a-z0-9_-]+$/.test(provider))
			throw badRequest(`${field}.provider must be letters, digits, - or _`);
		const providerMessageId =
			optionalString(entry, 'providerMessageId', 128, `${field}.providerMessageId`) ?? null;
		if (providerMessageId !== null && provider === null)
			throw badRequest(`${field}.provider is required with providerMessageId`);
		const error =
			typeof entry.error === 'string'
				? entry.error.slice(0, 1000)
				: (optionalString(entry, 'error', 1000, `${field}.error`) ?? null);
		const text = optionalString(entry, 'text', maxTextLength, `${field}.text`);
		const codes = [
			...new Set([
				...optionalCodes(entry, field),
				...(text ? codesInText(text, publicBaseUrl) : []),
			]),
		];
		const recipient =
			entry.recipient === undefined && codes.length > 0
				? null
				: normalisePhone(entry.recipient, defaultCallingCode, `${field}.recipient`);
		return {
			index: i,
			codes,
			recipient,
			variant: optionalString(entry, 'variant', 32, `${field}.variant`) ?? null,
			wave: optionalWave(entry.wave, `${field}.wave`) ?? requestWave,
			provider,
			providerMessageId,
			segments: optionalInteger(entry, 'segments', 1000, `${field}.segments`),
			encoding: optionalString(entry, 'encoding', 16, `${field}.encoding`) ?? null,
			characters: optionalInteger(entry, 'characters', 100_000, `${field}.characters`),
			status: status as MessageInput['status'],
			error,
			metadata: parseMetadata(entry.metadata, metadataMaxBytes, `${field}.metadata`),
		};
	});
	return { messages, oncePerRecipient };
}
