import { badRequest } from '../http/errors';
import {
	asObject,
	onlyKnownFields,
	optionalNumber,
	optionalString,
	requiredArray,
} from '../http/validate';
import { normalisePhone } from '../shared/phone';
import { defaultWave, optionalWave } from '../shared/waves';

export const maxMessagesPerRequest = 10_000;
export const messageStatuses = ['sent', 'failed', 'holdout'] as const;

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

/** Parses a POST /campaigns/:id/messages body; any bad entry rejects the whole request. */
export function parseMessages(
	body: unknown,
	defaultCallingCode: string | undefined,
): MessageInput[] {
	const obj = asObject(body);
	onlyKnownFields(obj, ['messages', 'wave']);
	const list = requiredArray(obj, 'messages', { min: 1, max: maxMessagesPerRequest });
	const requestWave = optionalWave(obj.wave) ?? defaultWave;
	return list.map((item, i) => {
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
		return {
			recipient: normalisePhone(entry.recipient, defaultCallingCode, `${field}.recipient`),
			variant: optionalString(entry, 'variant', 32, `${field}.variant`) ?? null,
			wave: optionalWave(entry.wave, `${field}.wave`) ?? requestWave,
			provider,
			providerMessageId,
			segments: optionalInteger(entry, 'segments', 1000, `${field}.segments`),
			encoding: optionalString(entry, 'encoding', 16, `${field}.encoding`) ?? null,
			characters: optionalInteger(entry, 'characters', 100_000, `${field}.characters`),
			status: status as MessageInput['status'],
			error,
		};
	});
}
