import { Router } from 'express';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { badRequest } from '../http/errors';
import type { OutboundGuard } from '../shared/outbound-address';
import { parsePageLimit } from '../shared/pagination';
import { listDeliveries, retryDelivery, type Delivery } from './deliveries';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, rotateSecret } from './store';
import { parseReceipt, recordReceipt } from './receipts';
import { parseNewSubscription, parseRotation } from './validate';

const deliveryStatuses: Delivery['status'][] = ['pending', 'delivered', 'failed'];

function queryString(value: unknown, name: string): string | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'string' || value === '' || value.length > 2048) throw badRequest(`${name} must be a non-empty string`);
	return value;
}

export function webhookRoutes(db: Database, guard: OutboundGuard, overlap: { defaultMs: number; maxMs: number }): Router {
	const router = Router();

	router.post('/webhooks', requireScope('webhooks'), async (req, res) => {
		const input = parseNewSubscription(req.body);
		// A host name is checked when each delivery connects; an address can be refused now.
		const refused = guard.literalRefusal(new URL(input.url));
		if (refused) throw badRequest(`url is not allowed for webhooks: ${refused}`, 'blocked_address');
		res.status(201).json(await createSubscription(db, input));
	});

	router.get('/webhooks', requireScope('webhooks'), async (req, res) => {
		const url = queryString(req.query.url, 'url');
		const campaignId = queryString(req.query.campaignId, 'campaignId');
		res.json({ webhooks: await listSubscriptions(db, { url, campaignId }) });
	});

	router.get('/webhooks/:id', requireScope('webhooks'), async (req, res) => {
		res.json(await getSubscription(db, req.params.id));
	});

	router.post('/webhooks/:id/rotate-secret', requireScope('webhooks'), async (req, res) => {
		res.json(await rotateSecret(db, req.params.id, parseRotation(req.body, overlap)));
	});

	// The trigger node records each delivery it runs, so a redelivery is dropped even after n8n restarted.
	router.post('/webhooks/:id/receipts', requireScope('webhooks'), async (req, res) => {
		const { deliveryId } = parseReceipt(req.body);
		const receipt = await recordReceipt(db, req.params.id, deliveryId);
		res.status(receipt.duplicate ? 200 : 201).json(receipt);
	});

	router.delete('/webhooks/:id', requireScope('webhooks'), async (req, res) => {
		await deleteSubscription(db, req.params.id);
		res.status(204).end();
	});

	router.get('/webhooks/:id/deliveries', requireScope('webhooks'), async (req, res) => {
		const limit = parsePageLimit(req.query.limit, { fallback: 50, max: 500 });
		const status = queryString(req.query.status, 'status');
		if (status !== undefined && !deliveryStatuses.includes(status as Delivery['status'])) {
			throw badRequest(`status must be one of ${deliveryStatuses.join(', ')}`);
		}
		const cursor = queryString(req.query.cursor, 'cursor');
		const deliveries = await listDeliveries(db, req.params.id, { status: status as Delivery['status'] | undefined, limit, cursor });
		res.json({ deliveries, nextCursor: deliveries.length === limit ? deliveries[deliveries.length - 1].id : null });
	});

	router.post('/webhooks/:id/deliveries/:deliveryId/retry', requireScope('webhooks'), async (req, res) => {
		res.status(202).json(await retryDelivery(db, req.params.id, req.params.deliveryId));
	});

	return router;
}
