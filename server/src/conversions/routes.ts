import { Router } from 'express';
import type { AppConfig } from '../config';
import type { Database } from '../db';
import { requireScope } from '../http/auth';
import { badRequest } from '../http/errors';
import { asObject, onlyKnownFields, requiredString } from '../http/validate';
import { normalisePhone } from '../shared/phone';
import { attributeByClick, attributeByRecipient } from './attribution';
import type { TrackingScript } from './script';
import { recordConversion } from './store';
import { trackingCode } from './tracking-code';
import { checkValueLimit, parseClickId, parseCurrency, parseDetails, parseName, parseValue } from './validate';

export interface ConversionApiDeps {
	db: Database;
	config: Pick<AppConfig, 'publicBaseUrl' | 'defaultCallingCode' | 'redirect' | 'conversionsPerClick' | 'conversionValueMax'>;
	script: TrackingScript;
}

const given = (value: unknown) => value !== undefined && value !== null;

/** The API-key side: server-to-server conversions and the tracking code to paste. */
export function conversionApiRoutes({ db, config, script }: ConversionApiDeps): Router {
	const router = Router();

	router.post('/conversions', requireScope('write'), async (req, res) => {
		const body = asObject(req.body);
		onlyKnownFields(body, ['clickId', 'campaignId', 'recipient', 'name', 'value', 'currency', 'idempotencyKey']);
		const details = parseDetails(body);
		checkValueLimit(details, config.conversionValueMax);
		let attribution;
		if (given(body.clickId)) {
			if (given(body.campaignId) || given(body.recipient)) throw badRequest('Give either clickId, or campaignId and recipient, not both');
			attribution = await attributeByClick(db, parseClickId(body.clickId));
		} else {
			if (!given(body.campaignId)) throw badRequest('clickId, or campaignId and recipient, is required');
			const campaignId = requiredString(body, 'campaignId', 100);
			const recipient = normalisePhone(body.recipient, config.defaultCallingCode);
			attribution = await attributeByRecipient(db, campaignId, recipient);
		}
		const { conversion, duplicate } = await recordConversion(db, attribution, details, given(body.clickId), config.conversionsPerClick);
		res.status(duplicate ? 200 : 201).json({ ...conversion, duplicate });
	});

	router.get('/tracking-code', requireScope('read'), (req, res) => {
		const example = {
			name: req.query.name === undefined ? 'purchase' : parseName(req.query.name),
			value: req.query.value === undefined ? '49.9' : (parseValue(req.query.value) ?? '0'),
			currency: req.query.currency === undefined ? 'EUR' : (parseCurrency(req.query.currency) ?? 'EUR'),
		};
		res.json(trackingCode(config.publicBaseUrl, script.version, example, config.redirect.clickCookieDays));
	});

	return router;
}
