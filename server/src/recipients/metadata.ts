import { badRequest } from '../http/errors';

export type RecipientMetadata = Record<string, unknown>;

/**
 * An entry's optional `metadata`: a JSON object of at most `maxBytes` bytes (UTF-8 of its JSON).
 * undefined or null: none given (what is stored stays).
 */
export function parseMetadata(
	value: unknown,
	maxBytes: number,
	field: string,
): RecipientMetadata | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw badRequest(
			`${field} must be a JSON object, such as {"contactId": "c-42"}`,
			'invalid_metadata',
		);
	}
	const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
	if (bytes > maxBytes) {
		throw badRequest(
			`${field} is ${bytes} bytes of JSON; at most ${maxBytes} are allowed`,
			'metadata_too_large',
		);
	}
	return value as RecipientMetadata;
}
