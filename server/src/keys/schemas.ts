import { z } from 'zod';
import { timestamp } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { coded } from '../http/schema';
import { scopes } from './scopes';

const scope = z.enum(scopes, { error: coded('invalid_scope', `must be one of ${scopes.join(', ')}`) });

/** `{name, scopes}`: a label and one or more of the known scopes. */
export const newKeyBody = z.strictObject({
	name: z.string().trim().min(1).max(100),
	// In the known order, each once, so equal sets compare equal.
	scopes: z
		.array(scope)
		.min(1)
		.max(scopes.length)
		.transform((given) => scopes.filter((known) => given.includes(known))),
});

/** What the API shows of a key; the secret itself only once, in the answer that creates it. */
export const apiKey = z.object({
	id: z.string(),
	name: z.string(),
	scopes: z.array(z.enum(scopes)),
	prefix: z.string().meta({ description: "The key's first characters, to recognise it" }),
	createdAt: timestamp,
	revokedAt: timestamp.nullable(),
});

export const keySchemas = describeRoutes('Keys', [
	{
		method: 'post',
		path: '/keys',
		summary: 'Create an API key (the secret is shown once)',
		scope: 'admin',
		body: newKeyBody,
		responses: { 201: apiKey.extend({ key: z.string().meta({ description: 'The secret; shown only here' }) }) },
	},
	{
		method: 'get',
		path: '/keys',
		summary: 'List the API keys (never their secrets)',
		scope: 'admin',
		responses: { 200: z.object({ keys: z.array(apiKey) }) },
	},
	{
		method: 'get',
		path: '/keys/self',
		summary: 'The key this request was made with: its id and scopes',
		scope: 'authenticated',
		responses: { 200: z.object({ id: z.string(), scopes: z.array(z.enum(scopes)) }) },
	},
	{
		method: 'delete',
		path: '/keys/:id',
		summary: 'Revoke a key (it stops working at once on every instance)',
		scope: 'admin',
		responses: { 200: apiKey },
	},
]);
