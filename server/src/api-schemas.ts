import { z } from 'zod';
import { campaignSchemas } from './campaigns/schemas';
import { conversionSchemas } from './conversions/schemas';
import { eventSchemas } from './events/schemas';
import { buildOpenApiDocument } from './http/openapi';
import { describeRoutes, type TaggedRouteSchema } from './http/route-schema';
import { keySchemas } from './keys/schemas';
import { linkSchemas } from './links/schemas';
import { liveSchemas } from './live/schemas';
import { messageSchemas } from './messages/schemas';
import { optOutSchemas } from './opt-outs/schemas';
import { recipientSchemas } from './recipients/schemas';
import { sendLockSchemas } from './send-locks/schemas';
import { sendTimeSchemas } from './send-times/schemas';
import { reportSchemas } from './reports/schemas';
import { statsSchemas } from './stats/schemas';
import { webhookSchemas } from './webhooks/schemas';

const documentSchemas = describeRoutes('API description', [
	{
		method: 'get',
		path: '/openapi.json',
		summary: 'This OpenAPI 3.1 document (no key needed)',
		scope: 'public',
		responses: { 200: z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) },
	},
]);

/**
 * Every /api/v1 route's schemas, one list per module (its schemas.ts). A route served without an
 * entry here fails test/unit/app/openapi-routes.test.ts.
 */
export const apiRouteSchemas: TaggedRouteSchema[] = [
	...documentSchemas,
	...reportSchemas,
	...campaignSchemas,
	...linkSchemas,
	...messageSchemas,
	...statsSchemas,
	...conversionSchemas,
	...eventSchemas,
	...webhookSchemas,
	...keySchemas,
	...optOutSchemas,
	...recipientSchemas,
	...liveSchemas,
	...sendTimeSchemas,
	...sendLockSchemas,
];

let document: Record<string, unknown> | undefined;

/** The OpenAPI document, built once on first use. */
export function openApiDocument(): Record<string, unknown> {
	document ??= buildOpenApiDocument(apiRouteSchemas, serverVersion());
	return document;
}

function serverVersion(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require('../package.json') as { version: string }).version;
}
