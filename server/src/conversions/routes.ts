import { Router } from 'express';
import type { AppConfig } from '../config';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { badRequest } from '../http/errors';
import { parseBody, parseQuery } from '../http/schema';
import { normalisePhone } from '../shared/phone';
import { attributeByClick, attributeByRecipient } from './attribution';
import type { TrackingScript } from './script';
import { recordConversion } from './store';
import { trackingCode } from './tracking-code';
import { conversionBody, trackingCodeQuery } from './schemas';
import { checkValueLimit } from './validate';

export interface ConversionApiDeps {
	db: Database;
	config: Pick<AppConfig, 'publicBaseUrl' | 'defaultCallingCode' | 'redirect' | 'conversionsPerClick' | 'conversionValueMax'>;
	script: TrackingScript;
}

/** The API-key side: server-to-server conversions and the tracking code to paste. */
export function conversionApiRoutes({ db, config, script }: ConversionApiDeps): Router {
	const router = Router();

	router.post('/conversions', requireScope('write'), async (req, res) => {
		const { clickId, campaignId, recipient, ...details } = parseBody(conversionBody, req);
		checkValueLimit(details, config.conversionValueMax);
		let attribution;
		if (clickId !== undefined) {
			if (campaignId !== undefined || recipient !== undefined) throw badRequest('Give either clickId, or campaignId and recipient, not both');
			attribution = await attributeByClick(db, clickId);
		} else {
			if (campaignId === undefined) throw badRequest('clickId, or campaignId and recipient, is required');
			attribution = await attributeByRecipient(db, campaignId, normalisePhone(recipient, config.defaultCallingCode));
		}
		const { conversion, duplicate } = await recordConversion(db, attribution, details, clickId !== undefined, config.conversionsPerClick);
		res.status(duplicate ? 200 : 201).json({ ...conversion, duplicate });
	});

	router.get('/tracking-code', requireScope('read'), (req, res) => {
		const example = parseQuery(trackingCodeQuery, req);
		res.json(trackingCode(config.publicBaseUrl, script.version, example, config.redirect.clickCookieDays));
	});

	return router;
}
