import { z } from 'zod';
import { byParser, coded } from '../http/schema';
import { Lru } from './lru';
import { parseDestination } from './urls';

// A campaign's 10,000 recipients mostly share a few destinations: each is parsed once.
const parsed = new Lru<string, string>(1000);

function parseCached(value: unknown, field: string): string {
	const known = typeof value === 'string' ? parsed.get(value) : undefined;
	if (known !== undefined) return known;
	const destination = parseDestination(value, field);
	parsed.set(value as string, destination);
	return destination;
}

/** An absolute http(s) URL a request gives (a link's destination, a webhook, a fallback). */
export const absoluteUrl = z
	.string({ error: coded('invalid_url', 'must be a non-empty URL string') })
	.transform(byParser(parseCached))
	.meta({ openapi: { type: 'string', format: 'uri', description: 'An absolute http:// or https:// URL' } });
