import { Router } from 'express';
import type { AppConfig } from '../config';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { assignVariant } from '../campaigns/assign-variant';
import { getCampaign } from '../campaigns/store';
import { holdoutVariant } from '../campaigns/types';
import { badRequest } from '../http/errors';
import { parseBody } from '../http/schema';
import type { CodeGenerator } from './codes';
import { normalisePhone } from '../shared/phone';
import { createLinks, type LinkRequest } from './store';
import { parseMetadata, type RecipientMetadata } from '../recipients/metadata';
import { storeMetadata } from '../recipients/metadata-store';
import { defaultWave } from '../shared/waves';
import { newLinksBody } from './schemas';

export interface LinkRoutesDeps {
	db: Database;
	config: Pick<AppConfig, 'publicBaseUrl' | 'defaultCallingCode' | 'maxLinksPerRequest' | 'recipientMetadataMaxBytes'>;
	nextCode: CodeGenerator;
	/** Called when existing links got a new expiry (the redirect's caches forget them). */
	linksChanged?: () => void;
}

export function linkRoutes({ db, config, nextCode, linksChanged }: LinkRoutesDeps): Router {
	const router = Router();

	router.post('/campaigns/:id/links', requireScope('write'), async (req, res) => {
		const body = parseBody(newLinksBody, req);
		const requestWave = body.wave ?? defaultWave;
		const campaign = await getCampaign(db, req.params.id);
		const variantNames = new Set([...(campaign.variants ?? []).map((v) => v.name), holdoutVariant]);

		const requests: LinkRequest[] = [];
		const metadata: Array<{ recipient: string; metadata: RecipientMetadata }> = [];
		const seen = new Set<string>();
		let total = 0;
		body.recipients.forEach((entry, i) => {
			const recipient = normalisePhone(entry.recipient, config.defaultCallingCode, `recipients[${i}].recipient`);
			const given = parseMetadata(entry.metadata, config.recipientMetadataMaxBytes, `recipients[${i}].metadata`);
			if (given) metadata.push({ recipient, metadata: given });
			let variant: string | null = null;
			if (entry.variant !== undefined) {
				if (!variantNames.has(entry.variant)) {
					throw badRequest(`recipients[${i}].variant must be one of the campaign's variants: ${[...variantNames].join(', ')}`);
				}
				variant = entry.variant;
			} else if (campaign.variants) {
				variant = assignVariant(campaign.id, recipient, campaign.variants, campaign.holdout);
			}
			const wave = entry.wave ?? requestWave;
			total += entry.urls.length;
			if (total > config.maxLinksPerRequest) {
				throw badRequest(`at most ${config.maxLinksPerRequest} links can be created in one request`, 'too_many_links');
			}
			entry.urls.forEach((destination, j) => {
				const key = `${recipient}\n${destination}\n${wave}`;
				if (seen.has(key)) return;
				seen.add(key);
				requests.push({ recipient, destination, linkIndex: j, variant, wave });
			});
		});

		const { links: stored, expiryChanged } = await createLinks(db, campaign.id, requests, body.expiresAt, nextCode);
		if (expiryChanged) linksChanged?.();
		await storeMetadata(db, campaign.id, metadata);
		res.json({
			links: requests.map((r, i) => {
				const link = stored[i];
				return {
					recipient: r.recipient,
					url: r.destination,
					code: link.code,
					shortUrl: `${config.publicBaseUrl}/${link.code}`,
					variant: link.variant,
					wave: link.wave,
				};
			}),
		});
	});

	return router;
}
