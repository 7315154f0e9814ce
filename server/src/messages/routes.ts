import { Router } from 'express';
import type { AppConfig } from '../config';
import { getCampaign } from '../campaigns/store';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { parseBody } from '../http/schema';
import { applyPendingReports } from '../delivery-reports/store';
import { storeMetadata } from '../recipients/metadata-store';
import { resolveLinks } from './resolve-links';
import { recordMessages } from './store';
import { readReport } from './report';
import { messagesBody } from './schemas';

/** POST /campaigns/:id/messages: the node reports what it sent, what failed and who was held out. */
export function messageRoutes(
	db: Database,
	config: Pick<AppConfig, 'defaultCallingCode' | 'publicBaseUrl' | 'recipientMetadataMaxBytes'>,
): Router {
	const router = Router();
	router.post('/campaigns/:id/messages', requireScope('write'), async (req, res) => {
		const report = readReport(parseBody(messagesBody, req), config.defaultCallingCode, config.publicBaseUrl, config.recipientMetadataMaxBytes);
		const campaign = await getCampaign(db, req.params.id);
		const messages = await resolveLinks(db, campaign.id, report.messages);
		const recorded = await db.withTransaction(async (tx) => {
			const count = await recordMessages(tx, campaign.id, messages, report.oncePerRecipient);
			await storeMetadata(
				tx,
				campaign.id,
				messages.flatMap((m) => (m.metadata ? [{ recipient: m.recipient, metadata: m.metadata }] : [])),
			);
			// Delivery reports that arrived before their message are applied now.
			await applyPendingReports(tx, campaign.id);
			return count;
		});
		res.json({ recorded });
	});
	return router;
}
