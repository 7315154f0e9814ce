/**
 * The webhook-ids already accepted, per subscription: a delivery retried because our answer was
 * lost is recognised and not run twice. Two memories, oldest ids forgotten first:
 * - the workflow's static data, which n8n saves to its database after each webhook call (checked
 *   in n8n 2.41: live webhooks save changed static data once the node's webhook() returns, and load
 *   it afresh for every call), so a redelivery after an n8n restart is recognised too. It is
 *   written back whole on every delivery, hence kept short.
 * - a larger set in module scope, for the life of the n8n process: two deliveries handled at the
 *   same time each save their own copy of the static data, so one of them may lose the other's id.
 */
export const maxRememberedIds = 10_000;
export const maxPersistedIds = 500;

/** What the trigger keeps in static data about recent deliveries, newest last. */
export interface RecentIdsState {
	recentIds?: string[];
}

const seen = new Map<string, Set<string>>();

/** Records the id; false when it was already recorded (a duplicate). */
export function rememberId(scope: string, id: string, persisted: RecentIdsState): boolean {
	let ids = seen.get(scope);
	if (!ids) {
		ids = new Set();
		seen.set(scope, ids);
	}
	const stored = Array.isArray(persisted.recentIds) ? persisted.recentIds : [];
	if (ids.has(id) || stored.includes(id)) return false;
	ids.add(id);
	if (ids.size > maxRememberedIds) {
		const oldest = ids.values().next().value;
		if (oldest !== undefined) ids.delete(oldest);
	}
	// A new array, assigned: n8n notices an assignment and saves the static data.
	persisted.recentIds = [...stored.slice(-(maxPersistedIds - 1)), id];
	return true;
}

export function forgetScope(scope: string, persisted: RecentIdsState): void {
	seen.delete(scope);
	delete persisted.recentIds;
}
