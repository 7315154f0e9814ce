/**
 * The app's top-level paths. app.ts mounts one router on each, and the redirect takes none of
 * their first segments for a short code (e.g. /dashboard with CODE_LENGTH=9): a new top-level
 * route is added here, and both follow.
 */
export const mounts = {
	healthz: '/healthz',
	readyz: '/readyz',
	dashboard: '/dashboard',
	trackingScript: '/t.js',
	collect: '/collect',
	pixel: '/c.gif',
	api: '/api/v1',
	deliveryReports: '/delivery-reports',
	inboundSms: '/inbound-sms',
	metrics: '/metrics',
} as const;

export type MountName = keyof typeof mounts;

/** The first path segment of every mount. */
export const reservedPaths: ReadonlySet<string> = new Set(
	Object.values(mounts).map((path) => path.split('/')[1]),
);
