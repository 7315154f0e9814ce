/**
 * A bounded memory of the webhook-ids already accepted, per subscription: a delivery retried
 * because our answer was lost is recognised and not run twice. Oldest ids are forgotten first.
 * It lives in module scope, so it lasts as long as the n8n process.
 *
 * Not in the workflow's static data, although that would outlive a restart: checked in a real
 * n8n 2.41.1, static data that webhook() changes is not saved when the call starts an execution
 * (n8n builds the execution's Workflow from the same static data object, which resets its change
 * flag before the save that follows the webhook call). So the trigger also records each id on the tracking server (POST /webhooks/{id}/receipts), which
 * remembers it for 7 days; this memory answers first, and alone while the server cannot.
 */
export const maxRememberedIds = 10_000;

const seen = new Map<string, Set<string>>();

/** Records the id; false when it was already recorded (a duplicate). */
export function rememberId(scope: string, id: string): boolean {
	let ids = seen.get(scope);
	if (!ids) {
		ids = new Set();
		seen.set(scope, ids);
	}
	if (ids.has(id)) return false;
	ids.add(id);
	if (ids.size > maxRememberedIds) {
		const oldest = ids.values().next().value;
		if (oldest !== undefined) ids.delete(oldest);
	}
	return true;
}

export function forgetScope(scope: string): void {
	seen.delete(scope);
}
