import express, { Router } from 'express';
import type { AppConfig } from '../config';
import type { Database } from '../db';
import { HttpError } from '../http/errors';
import { checkSevenToken, parseSevenReport, sevenOutcome } from './seven';
import { recordDeliveryReport } from './store';
import { twilioOutcome, verifiedTwilioParams } from './twilio';

type ReportConfig = Pick<
	AppConfig,
	'publicBaseUrl' | 'twilioAuthTokens' | 'sevenWebhookToken' | 'bodyLimit'
>;

const disabled = (provider: string, variable: string) =>
	new HttpError(
		404,
		'delivery_reports_disabled',
		`${provider} delivery reports are off: set ${variable} on the server`,
	);

/**
 * Delivery-report callbacks under /delivery-reports (no API key: providers call them). Twilio's are verified by their
 * X-Twilio-Signature, seven.io's by a secret token in the query string (never logged).
 */
export function deliveryReportRoutes(db: Database, config: ReportConfig): Router {
	const router = Router();
	const forms = express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 });
	const json = express.json({ limit: '100kb' });

	router.post('/twilio', forms, async (req, res) => {
		if (config.twilioAuthTokens.length === 0) throw disabled('Twilio', 'TWILIO_AUTH_TOKEN');
		const params = verifiedTwilioParams(req, config.twilioAuthTokens, config.publicBaseUrl);
		const outcome = twilioOutcome(params.MessageStatus);
		const sid = params.MessageSid ?? params.SmsSid;
		if (outcome && sid && /^[A-Za-z0-9]{1,64}$/.test(sid)) {
			const error =
				outcome === 'failed' && params.ErrorCode ? `Twilio error ${params.ErrorCode}` : null;
			await recordDeliveryReport(db, {
				provider: 'twilio',
				providerMessageId: sid,
				outcome,
				occurredAt: new Date(),
				error,
			});
		}
		res.status(204).end();
	});

	router.post('/seven', forms, json, async (req, res) => {
		if (!config.sevenWebhookToken) throw disabled('seven.io', 'SEVEN_WEBHOOK_TOKEN');
		checkSevenToken(req.query, config.sevenWebhookToken);
		const report = parseSevenReport(req.body);
		if (!report)
			throw new HttpError(
				400,
				'invalid_request',
				'Expected a seven.io delivery report with msg_id and status',
			);
		const outcome = sevenOutcome(report.status);
		if (outcome) {
			const error = outcome === 'failed' ? `seven.io status ${report.status}` : null;
			await recordDeliveryReport(db, {
				provider: 'seven',
				providerMessageId: report.msgId,
				outcome,
				occurredAt: report.occurredAt,
				error,
			});
		}
		res.status(204).end();
	});

	return router;
}
