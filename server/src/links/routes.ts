import { Router } from 'express';
import type { AppConfig } from '../config';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { assignVariant } from '../campaigns/assign-variant';
import { getCampaign } from '../campaigns/store';
import { holdoutVariant } from '../campaigns/types';
import { badRequest } from '../http/errors';
import { asObject, onlyKnownFields, optionalDate, requiredArray } from '../http/validate';
import type { CodeGenerator } from './codes';
import { normalisePhone } from '../shared/phone';
import { createLinks, type LinkRequest } from './store';
import { parseDestination } from '../shared/urls';
import { parseMetadata, type RecipientMetadata } from '../recipients/metadata';
import { storeMetadata } from '../recipients/metadata-store';
import { defaultWave, optionalWave } from '../shared/waves';

export interface LinkRoutesDeps {
	db: Database;
	config: Pick<AppConfig, 'publicBaseUrl' | 'defaultCallingCode' | 'maxLinksPerRequest' | 'recipientMetadataMaxBytes'>;
	nextCode: CodeGenerator;
}

export function linkRoutes({ db, config, nextCode }: LinkRoutesDeps): Router {
	const router = Router();

	router.post('/campaigns/:id/links', requireScope('write'), async (req, res) => {
		const body = asObject(req.body);
		onlyKnownFields(body, ['recipients', 'expiresAt', 'wave']);
		const recipients = requiredArray(body, 'recipients', { min: 1 });
		const expiresAt = optionalDate(body, 'expiresAt');
		const requestWave = optionalWave(body.wave) ?? defaultWave;
		const campaign = await getCampaign(db, req.params.id);
		const variantNames = new Set([...(campaign.variants ?? []).map((v) => v.name), holdoutVariant]);

		const requests: LinkRequest[] = [];
		const metadata: Array<{ recipient: string; metadata: RecipientMetadata }> = [];
		const seen = new Set<string>();
		// A campaign's recipients mostly share the same few destinations: parse each once.
		const destinations = new Map<string, string>();
		let total = 0;
		recipients.forEach((item, i) => {
			const entry = asObject(item, `recipients[${i}]`);
			onlyKnownFields(entry, ['recipient', 'urls', 'variant', 'metadata', 'wave'], `recipients[${i}]`);
			const recipient = normalisePhone(entry.recipient, config.defaultCallingCode, `recipients[${i}].recipient`);
			const given = parseMetadata(entry.metadata, config.recipientMetadataMaxBytes, `recipients[${i}].metadata`);
			if (given) metadata.push({ recipient, metadata: given });
			const urls = requiredArray(entry, 'urls', { min: 1, max: 50 }, `recipients[${i}].urls`);
			let variant: string | null = null;
			if (entry.variant !== undefined && entry.variant !== null) {
				if (typeof entry.variant !== 'string' || !variantNames.has(entry.variant)) {
					throw badRequest(`recipients[${i}].variant must be one of the campaign's variants: ${[...variantNames].join(', ')}`);
				}
				variant = entry.variant;
			} else if (campaign.variants) {
				variant = assignVariant(campaign.id, recipient, campaign.variants, campaign.holdout);
			}
			const wave = optionalWave(entry.wave, `recipients[${i}].wave`) ?? requestWave;
			total += urls.length;
			if (total > config.maxLinksPerRequest) {
				throw badRequest(`at most ${config.maxLinksPerRequest} links can be created in one request`, 'too_many_links');
			}
			urls.forEach((url, j) => {
				let destination = typeof url === 'string' ? destinations.get(url) : undefined;
				if (destination === undefined) {
					destination = parseDestination(url, `recipients[${i}].urls[${j}]`);
					destinations.set(url as string, destination);
				}
				const key = `${recipient}\n${destination}\n${wave}`;
				if (seen.has(key)) return;
				seen.add(key);
				requests.push({ recipient, destination, linkIndex: j, variant, wave });
			});
		});

		const stored = await createLinks(db, campaign.id, requests, expiresAt, nextCode);
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
