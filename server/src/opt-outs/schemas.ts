import { z } from 'zod';
import { nextCursor, pageLimit, timestamp } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { e164, phoneInput } from '../shared/phone-schema';

/** Numbers per add or check call: a Send node asks once per 10,000 recipients. */
export const maxPhonesPerCall = 10_000;

const phones = z.array(phoneInput).min(1).max(maxPhonesPerCall);

export const addOptOutsBody = z.strictObject({
	phones,
	reason: z.string().trim().min(1).max(200).nullish().transform((v) => v ?? null),
});

export const checkOptOutsBody = z.strictObject({ phones });

const cursorPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\+[1-9]\d{7,14})$/;

export const optOutListQuery = z.object({
	limit: pageLimit({ fallback: 100, max: 1000 }),
	cursor: z
		.string()
		.regex(cursorPattern, 'is not one this API returned')
		.transform((value) => {
			const [, at, phone] = cursorPattern.exec(value)!;
			return { at, phone };
		})
		.optional()
		.meta({ description: 'The nextCursor of the previous page' }),
});

export const optOut = z.object({
	phone: e164,
	source: z.enum(['api', 'twilio', 'seven']),
	reason: z.string().nullable(),
	createdAt: timestamp,
});

export type OptOut = z.infer<typeof optOut>;

export const optOutSchemas = describeRoutes('Opt-outs', [
	{
		method: 'post',
		path: '/opt-outs',
		summary: 'Add numbers to the opt-out list',
		scope: 'write',
		body: addOptOutsBody,
		responses: {
			201: z.object({ added: z.array(e164), alreadyListed: z.int() }),
			200: z.object({ added: z.array(e164), alreadyListed: z.int() }),
		},
	},
	{
		method: 'post',
		path: '/opt-outs/check',
		summary: 'Which of these numbers opted out',
		scope: 'write',
		body: checkOptOutsBody,
		responses: { 200: z.object({ optedOut: z.array(e164) }) },
	},
	{
		method: 'get',
		path: '/opt-outs',
		summary: 'The opt-out list, newest first',
		scope: 'read',
		query: optOutListQuery,
		responses: { 200: z.object({ optOuts: z.array(optOut), nextCursor }) },
	},
	{ method: 'get', path: '/opt-outs/:phone', summary: 'One opted-out number', scope: 'read', responses: { 200: optOut } },
	{ method: 'delete', path: '/opt-outs/:phone', summary: 'Take a number off the list', scope: 'write', responses: { 204: null } },
]);
