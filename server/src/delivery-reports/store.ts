import type { Database, Queryable } from '../db';
import { insertEvents } from '../events/store';
import {
	applyKeptOutcomes,
	setMessageOutcome,
	type DeliveryOutcome,
	type MessageOutcome,
} from '../messages/store';

/** How long a report waits for its message to be reported. */
export const pendingRetention = '3 days';

export interface DeliveryReport {
	provider: 'seven' | 'twilio';
	providerMessageId: string;
	outcome: DeliveryOutcome;
	occurredAt: Date;
	error?: string | null;
}

/** One event per message and outcome: a provider repeating a callback stores nothing twice. */
async function recordEvents(tx: Queryable, matched: MessageOutcome[]): Promise<void> {
	await insertEvents(
		tx,
		matched.map((m) => ({
			eventKey: `dlr:${m.provider}:${m.provider_message_id}:${m.outcome}`,
			type: m.outcome,
			occurredAt: new Date(m.occurred_at),
			campaignId: m.campaign_id,
			recipient: m.recipient,
			variant: m.variant,
			wave: m.wave,
		})),
	);
}

/**
 * Applies a delivery report: the message's status changes (a delivered message is never turned
 * back into failed by a late report) and a delivered / failed event is stored, which fires the
 * webhooks. A report for a message not reported yet is kept and applied when it is.
 * Returns whether a message matched.
 */
export async function recordDeliveryReport(db: Database, report: DeliveryReport): Promise<boolean> {
	return db.withTransaction(async (tx) => {
		const rows = await setMessageOutcome(tx, { ...report, error: report.error ?? null });
		if (rows.length) {
			await recordEvents(tx, rows);
			return true;
		}
		const { rows: known } = await tx.query(
			`SELECT 1 FROM messages WHERE provider = $1 AND provider_message_id = $2`,
			[report.provider, report.providerMessageId],
		);
		if (known.length) return true; // e.g. failed after delivered: nothing to change
		// Reports for messages that never get reported (e.g. sent by other tools on the same account)
		// are dropped after a while, a bounded batch at a time.
		await tx.query(
			`DELETE FROM delivery_reports_pending WHERE ctid IN (
			   SELECT ctid FROM delivery_reports_pending WHERE received_at < now() - $1::interval LIMIT 1000)`,
			[pendingRetention],
		);
		await tx.query(
			`INSERT INTO delivery_reports_pending (provider, provider_message_id, outcome, occurred_at, error)
			 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
			[
				report.provider,
				report.providerMessageId,
				report.outcome,
				report.occurredAt,
				report.error ?? null,
			],
		);
		return false;
	});
}

/** Applies the kept reports of messages that were just reported for the campaign. */
export async function applyPendingReports(tx: Queryable, campaignId: string): Promise<void> {
	const { rows } = await tx.query<MessageOutcome & { id: string; error: string | null }>(
		`DELETE FROM delivery_reports_pending p
		 USING messages m
		 WHERE m.campaign_id = $1 AND m.provider = p.provider AND m.provider_message_id = p.provider_message_id
		 RETURNING m.id, m.campaign_id, m.recipient, m.variant, m.wave, p.provider, p.provider_message_id, p.outcome, p.occurred_at, p.error`,
		[campaignId],
	);
	if (rows.length === 0) return;
	await applyKeptOutcomes(tx, rows);
	await recordEvents(tx, rows);
}
