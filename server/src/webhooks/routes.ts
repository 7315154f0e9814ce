import { Router } from 'express';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { badRequest } from '../http/errors';
import { parseBody, parseQuery } from '../http/schema';
import type { OutboundGuard } from '../shared/outbound-address';
import { listDeliveries, retryDelivery } from './deliveries';
import { deliveriesQuery, newSubscriptionBody, receiptBody, rotationBody, subscriptionQuery } from './schemas';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, rotateSecret } from './store';
import { recordReceipt } from './receipts';

export function webhookRoutes(db: Database, guard: OutboundGuard, overlap: { defaultMs: number; maxMs: number }): Router {
	const router = Router();

	router.post('/webhooks', requireScope('webhooks'), async (req, res) => {
		const input = parseBody(newSubscriptionBody, req);
		// A host name is checked when each delivery connects; an address can be refused now.
		const refused = guard.literalRefusal(new URL(input.url));
		if (refused) throw badRequest(`url is not allowed for webhooks: ${refused}`, 'blocked_address');
		res.status(201).json(await createSubscription(db, input));
	});

	router.get('/webhooks', requireScope('webhooks'), async (req, res) => {
		res.json({ webhooks: await listSubscriptions(db, parseQuery(subscriptionQuery, req)) });
	});

	router.get('/webhooks/:id', requireScope('webhooks'), async (req, res) => {
		res.json(await getSubscription(db, req.params.id));
	});

	router.post('/webhooks/:id/rotate-secret', requireScope('webhooks'), async (req, res) => {
		const { overlapSeconds } = parseBody(rotationBody, req);
		// The most is configured (WEBHOOK_SECRET_OVERLAP_MAX), so it is checked here, not in the schema.
		const maxSeconds = overlap.maxMs / 1000;
		if (overlapSeconds != null && overlapSeconds > maxSeconds) throw badRequest(`overlapSeconds must be at most ${maxSeconds}`);
		res.json(await rotateSecret(db, req.params.id, overlapSeconds == null ? overlap.defaultMs : overlapSeconds * 1000));
	});

	// The trigger node records each delivery it runs, so a redelivery is dropped even after n8n restarted.
	router.post('/webhooks/:id/receipts', requireScope('webhooks'), async (req, res) => {
		const { deliveryId } = parseBody(receiptBody, req);
		const receipt = await recordReceipt(db, req.params.id, deliveryId);
		res.status(receipt.duplicate ? 200 : 201).json(receipt);
	});

	router.delete('/webhooks/:id', requireScope('webhooks'), async (req, res) => {
		await deleteSubscription(db, req.params.id);
		res.status(204).end();
	});

	router.get('/webhooks/:id/deliveries', requireScope('webhooks'), async (req, res) => {
		const { limit, status, cursor } = parseQuery(deliveriesQuery, req);
		const deliveries = await listDeliveries(db, req.params.id, { status, limit, cursor });
		res.json({ deliveries, nextCursor: deliveries.length === limit ? deliveries[deliveries.length - 1].id : null });
	});

	router.post('/webhooks/:id/deliveries/:deliveryId/retry', requireScope('webhooks'), async (req, res) => {
		res.status(202).json(await retryDelivery(db, req.params.id, req.params.deliveryId));
	});

	return router;
}
