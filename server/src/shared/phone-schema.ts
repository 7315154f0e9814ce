import { z } from 'zod';
import { coded } from '../http/schema';

/**
 * A phone number as a request gives it (text, or digits as a JSON number). Schemas check only
 * that; normalisePhone (shared/phone.ts) reads it to E.164 in the route, with DEFAULT_CALLING_CODE.
 */
export const phoneInput = z
	.union([z.string(), z.number()], { error: coded('invalid_phone', 'must be a phone number string') })
	.meta({
		description:
			'E.164 such as +4915112345678, or a national number when the server has DEFAULT_CALLING_CODE',
	});

/** A phone number as the API answers it: E.164. */
export const e164 = z.string().meta({ description: 'E.164, such as +4915112345678' });
