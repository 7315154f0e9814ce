import { apiRoutes, type AppDeps } from '../../server/src/app';
import { loadConfig, type AppConfig } from '../../server/src/config';
import { loadTrackingScript } from '../../server/src/conversions/script';
import type { Database } from '../../server/src/db';
import { scopeOf } from '../../server/src/http/auth';
import { createLogger } from '../../server/src/log';

export interface Layer {
	route?: {
		path: string;
		methods: Record<string, boolean>;
		stack: Array<{ handle: unknown; method?: string }>;
	};
	handle: { stack?: Layer[] };
}

/** The /api/v1 routes that need no key (served before the key check). */
export const publicRoutes: ReadonlySet<string> = new Set(['GET /openapi.json']);

/** Every route of a router and the routers mounted in it: "METHOD path" → the scope its first handler declares. */
export function declaredScopes(router: { stack: Layer[] }): Map<string, string | undefined> {
	const found = new Map<string, string | undefined>();
	for (const layer of router.stack) {
		if (layer.route) {
			for (const method of Object.keys(layer.route.methods)) {
				const first = layer.route.stack.find((h) => h.method === undefined || h.method === method);
				found.set(`${method.toUpperCase()} ${layer.route.path}`, scopeOf(first?.handle));
			}
		} else if (layer.handle.stack) {
			for (const [route, scope] of declaredScopes(layer.handle as { stack: Layer[] }))
				found.set(route, scope);
		}
	}
	return found;
}

/** The routes of the /api/v1 router as the app builds it (live feed included), without a database. */
export function walkApiRoutes(): Map<string, string | undefined> {
	const config = {
		...loadConfig({ API_KEY: 'k'.repeat(32), DATA_DIR: '/tmp' }),
		publicBaseUrl: 'http://127.0.0.1:8080',
	} as AppConfig;
	const deps: AppDeps = {
		config,
		db: {} as Database,
		log: createLogger('silent'),
		nextCode: () => 'x',
		live: {} as NonNullable<AppDeps['live']>,
	};
	return declaredScopes(apiRoutes(deps, loadTrackingScript()) as unknown as { stack: Layer[] });
}
