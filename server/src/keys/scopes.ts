/**
 * What an API key may do. `admin` may do everything, including managing keys; the others each
 * open one group of routes (every /api/v1 route declares the one it needs, see http/auth.ts):
 * - write: create and change campaigns, links, messages, conversions;
 * - read: campaigns, stats, recipients, events, the dashboard;
 * - webhooks: the webhook subscriptions and their deliveries.
 */
export const scopes = ['admin', 'write', 'read', 'webhooks'] as const;

export type Scope = (typeof scopes)[number];

export const isScope = (value: unknown): value is Scope =>
	typeof value === 'string' && (scopes as readonly string[]).includes(value);

/** Whether a key holding `held` may use a route that needs `needed`. */
export const grants = (held: readonly Scope[], needed: Scope): boolean =>
	held.includes('admin') || held.includes(needed);
