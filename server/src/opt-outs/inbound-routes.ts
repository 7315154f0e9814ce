import express, { Router } from 'express';
import type { AppConfig } from '../config';
import type { Database } from '../db';
import { checkSevenToken } from '../delivery-reports/seven';
import { verifiedTwilioParams } from '../delivery-reports/twilio';
import { HttpError } from '../http/errors';
import { normalisePhone } from '../shared/phone';
import type { Logger } from '../log';
import { intentOf, type InboundIntent } from './keywords';
import { addOptOuts, removeOptOut, type OptOutSource } from './store';

type InboundConfig = Pick<
	AppConfig,
	'publicBaseUrl' | 'twilioAuthTokens' | 'sevenWebhookToken' | 'defaultCallingCode'
>;

const disabled = (provider: string, variable: string) =>
	new HttpError(
		404,
		'inbound_sms_disabled',
		`${provider} inbound SMS is off: set ${variable} on the server`,
	);

/** Twilio answers an inbound SMS with TwiML; an empty one sends no reply. */
const emptyTwiml = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Inbound-SMS webhooks under /inbound-sms (no API key: the providers call them, verified as their
 * delivery reports are). A reply that is an opt-out keyword puts the sender on the opt-out list, an
 * opt-in keyword takes them off; any other reply is acknowledged and left alone.
 */
export function inboundSmsRoutes(db: Database, config: InboundConfig, log: Logger): Router {
	const router = Router();
	const forms = express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 });
	const json = express.json({ limit: '100kb' });

	async function apply(intent: InboundIntent, sender: string, source: OptOutSource) {
		if (!intent) return;
		let phone: string;
		try {
			phone = normalisePhone(
				/^\d{8,15}$/.test(sender) ? `+${sender}` : sender,
				config.defaultCallingCode,
				'sender',
			);
		} catch {
			log.warn('inbound SMS keyword from a sender that is not a phone number', { source, intent });
			return;
		}
		if (intent === 'opt-out')
			await addOptOuts(db, [phone], source, 'replied with an opt-out keyword');
		else await removeOptOut(db, phone);
		log.info('inbound SMS keyword applied', { source, intent });
	}

	router.post('/twilio', forms, async (req, res) => {
		if (config.twilioAuthTokens.length === 0) throw disabled('Twilio', 'TWILIO_AUTH_TOKEN');
		const params = verifiedTwilioParams(req, config.twilioAuthTokens, config.publicBaseUrl);
		// With Twilio's Advanced Opt-Out on, Twilio has already classified the reply (its own keyword list).
		const intent: InboundIntent =
			params.OptOutType === 'STOP'
				? 'opt-out'
				: params.OptOutType === 'START'
					? 'opt-in'
					: intentOf(params.Body ?? '');
		if (typeof params.From === 'string') await apply(intent, params.From, 'twilio');
		res.status(200).type('text/xml').send(emptyTwiml);
	});

	router.post('/seven', json, async (req, res) => {
		if (!config.sevenWebhookToken) throw disabled('seven.io', 'SEVEN_WEBHOOK_TOKEN');
		checkSevenToken(req.query, config.sevenWebhookToken);
		const body = req.body as
			| { webhook_event?: unknown; data?: { sender?: unknown; text?: unknown } }
			| undefined;
		if (
			body?.webhook_event !== 'sms_mo' ||
			typeof body.data?.sender !== 'string' ||
			typeof body.data.text !== 'string'
		)
			throw new HttpError(
				400,
				'invalid_request',
				'Expected a seven.io sms_mo webhook with data.sender and data.text',
			);
		await apply(intentOf(body.data.text), body.data.sender, 'seven');
		res.status(204).end();
	});

	return router;
}
