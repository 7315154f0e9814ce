import { z } from 'zod';
import { requestDateTime } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { metadataInput } from '../recipients/metadata-schema';
import { e164, phoneInput } from '../shared/phone-schema';
import { absoluteUrl } from '../shared/url-schema';
import { waveName } from '../shared/waves';

const recipientLinks = z.strictObject({
	recipient: phoneInput,
	urls: z.array(absoluteUrl).min(1).max(50),
	variant: z
		.string()
		.nullish()
		.transform((v) => v ?? undefined)
		.meta({ description: "One of the campaign's variants (or holdout); absent: assigned by the split" }),
	metadata: metadataInput.nullish(),
	wave: waveName.nullish().transform((v) => v ?? undefined),
});

/** The body of POST /campaigns/:id/links: each recipient's destinations. */
export const newLinksBody = z.strictObject({
	recipients: z.array(recipientLinks).min(1),
	expiresAt: requestDateTime.nullish().transform((v) => v ?? undefined),
	wave: waveName.nullish().transform((v) => v ?? undefined),
});

export const createdLink = z.object({
	recipient: e164,
	url: z.string(),
	code: z.string(),
	shortUrl: z.string(),
	variant: z.string().nullable(),
	wave: z.string(),
});

export const linkSchemas = describeRoutes('Links', [
	{
		method: 'post',
		path: '/campaigns/:id/links',
		summary: 'Short links for recipients (the same recipient, URL and wave get the same link again)',
		scope: 'write',
		body: newLinksBody,
		responses: { 200: z.object({ links: z.array(createdLink) }) },
	},
]);
