import { z } from 'zod';
import { coded } from '../http/schema';

/**
 * Recipient metadata in a request: a JSON object. Its size and keys are checked by parseMetadata
 * (metadata.ts) in the route, against RECIPIENT_METADATA_MAX_BYTES.
 */
export const metadataInput = z
	.record(z.string(), z.unknown(), { error: coded('invalid_metadata', 'must be a JSON object, such as {"contactId": "c-42"}') })
	.meta({ description: 'What to keep about the recipient, such as {"contactId": "c-42"}; the latest given wins' });
