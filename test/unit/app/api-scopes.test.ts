import { Router } from 'express';
import { apiRoutes, type AppDeps } from '../../../server/src/app';
import { loadConfig, type AppConfig } from '../../../server/src/config';
import { loadTrackingScript } from '../../../server/src/conversions/script';
import type { Database } from '../../../server/src/db';
import { requireScope, scopeOf } from '../../../server/src/http/auth';
import { createLogger } from '../../../server/src/log';

interface Layer {
	route?: {
		path: string;
		methods: Record<string, boolean>;
		stack: Array<{ handle: unknown; method?: string }>;
	};
	handle: { stack?: Layer[] };
}

/** Every route of a router and the routers mounted in it: "METHOD path" → the scope its first handler declares. */
function declaredScopes(router: { stack: Layer[] }): Map<string, string | undefined> {
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

const config = {
	...loadConfig({ API_KEY: 'k'.repeat(32), DATA_DIR: '/tmp' }),
	publicBaseUrl: 'http://127.0.0.1:8080',
} as AppConfig;
const deps: AppDeps = {
	config,
	db: {} as Database,
	log: createLogger('silent'),
	nextCode: () => 'x',
};
const routes = declaredScopes(
	apiRoutes(deps, loadTrackingScript()) as unknown as { stack: Layer[] },
);

test('when the API router is walked, then it finds the routes (the walk sees them)', () => {
	expect(routes.size).toBeGreaterThan(20);
	expect(routes.get('POST /campaigns')).toBe('write');
	expect(routes.get('GET /campaigns/:id/stats')).toBe('read');
	expect(routes.get('POST /webhooks')).toBe('webhooks');
	expect(routes.get('POST /keys')).toBe('admin');
});

test('when any /api/v1 route is served, then its first handler declares the scope it needs', () => {
	const undeclared = [...routes].filter(([, scope]) => scope === undefined).map(([route]) => route);
	expect(undeclared).toEqual([]);
});

test('when a route is added without a scope, then the walk names it', () => {
	const router = Router();
	router.get('/scoped', requireScope('read'), (_req, res) => res.end());
	router.get('/unscoped', (_req, res) => res.end());
	const walked = declaredScopes(router as unknown as { stack: Layer[] });
	expect([...walked]).toEqual([
		['GET /scoped', 'read'],
		['GET /unscoped', undefined],
	]);
});
