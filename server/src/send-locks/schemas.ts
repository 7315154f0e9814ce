import { z } from 'zod';
import { timestamp } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { waveName } from '../shared/waves';

/** A lock's lease when the request names none: long enough for a large hold-out's send. */
export const defaultLeaseSeconds = 3600;
export const maxLeaseSeconds = 86_400;

const holder = z
	.string()
	.trim()
	.min(1)
	.max(200)
	.meta({ description: 'Who holds the lock, such as "n8n execution 1234": the same holder may take it again' });

export const takeSendLockBody = z.strictObject({
	wave: waveName,
	holder,
	leaseSeconds: z
		.int()
		.min(10)
		.max(maxLeaseSeconds)
		.optional()
		.transform((v) => v ?? defaultLeaseSeconds)
		.meta({ description: `Seconds until the lock ends by itself (default ${defaultLeaseSeconds})` }),
});

export const releaseSendLockQuery = z.object({ holder });

export const sendLock = z.object({
	campaignId: z.string(),
	wave: z.string(),
	holder: z.string(),
	heldUntil: timestamp,
});

export type SendLock = z.infer<typeof sendLock>;

export const sendLockSchemas = describeRoutes('Send locks', [
	{
		method: 'post',
		path: '/campaigns/:id/send-locks',
		summary: 'Take the lock of a send wave (409 send_in_progress while another holder has it)',
		scope: 'write',
		body: takeSendLockBody,
		responses: { 201: sendLock },
	},
	{
		method: 'delete',
		path: '/campaigns/:id/send-locks/:wave',
		summary: 'Give the lock of a send wave back (only its holder can)',
		scope: 'write',
		query: releaseSendLockQuery,
		responses: { 204: null },
	},
]);
