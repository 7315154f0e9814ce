import { z } from 'zod';
import { describeRoutes } from '../http/route-schema';
import { metadataInput } from '../recipients/metadata-schema';
import { phoneInput } from '../shared/phone-schema';
import { waveName } from '../shared/waves';

export const maxMessagesPerRequest = 10_000;
export const messageStatuses = ['sent', 'failed', 'holdout'] as const;
const maxCodesPerMessage = 50;
const maxTextLength = 10_000;

const optionalInteger = (max: number) =>
	z
		.int()
		.min(0)
		.max(max)
		.nullish()
		.transform((v) => v ?? null);

const optionalString = (max: number) =>
	z
		.string()
		.trim()
		.min(1, { error: 'is required and must be a non-empty string' })
		.max(max)
		.nullish()
		.transform((v) => v ?? null);

/** One reported message; its recipient may be left out when its codes (or its text's links) name it. */
export const reportedMessage = z
	.strictObject({
		recipient: phoneInput.optional(),
		variant: optionalString(32),
		wave: waveName.nullish().transform((v) => v ?? undefined),
		provider: optionalString(32)
			.transform((p) => p?.toLowerCase() ?? null)
			.refine((p) => p === null || /^[a-z0-9_-]+$/.test(p), { error: 'must be letters, digits, - or _' }),
		providerMessageId: optionalString(128),
		segments: optionalInteger(1000),
		encoding: optionalString(16),
		characters: optionalInteger(100_000),
		status: z.enum(messageStatuses),
		// A provider's error text is kept, cut to 1,000 characters.
		error: z
			.string()
			.nullish()
			.transform((e) => (e == null ? null : e.slice(0, 1000))),
		metadata: metadataInput.nullish(),
		codes: z
			.array(
				z.string().regex(/^[A-Za-z0-9]{1,32}$/, { error: 'must be a short-link code (letters and digits)' }),
				{ error: 'must be an array of short-link codes' },
			)
			.max(maxCodesPerMessage)
			.nullish()
			.transform((codes) => codes ?? []),
		text: z
			.string()
			.trim()
			.min(1, { error: 'is required and must be a non-empty string' })
			.max(maxTextLength)
			.nullish()
			.transform((t) => t ?? undefined)
			.meta({ description: 'The sent text: its short links name the codes (the text is not stored)' }),
	})
	.superRefine((m, ctx) => {
		if (m.providerMessageId !== null && m.provider === null)
			ctx.addIssue({ code: 'custom', path: ['provider'], message: 'is required with providerMessageId' });
	});

/** The body of POST /campaigns/:id/messages; any bad entry rejects the whole request. */
export const messagesBody = z.strictObject({
	messages: z.array(reportedMessage).min(1).max(maxMessagesPerRequest),
	oncePerRecipient: z
		.boolean()
		.nullish()
		.transform((v) => v ?? false)
		.meta({ description: 'Whether a message without providerMessageId is recorded once per recipient and provider' }),
	wave: waveName.nullish().transform((v) => v ?? undefined),
});

export const messageSchemas = describeRoutes('Messages', [
	{
		method: 'post',
		path: '/campaigns/:id/messages',
		summary: 'Report what was sent, what failed and who was held out',
		scope: 'write',
		body: messagesBody,
		responses: { 200: z.object({ recorded: z.int() }) },
	},
]);
