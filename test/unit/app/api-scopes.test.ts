import { Router } from 'express';
import { requireScope } from '../../../server/src/http/auth';
import { declaredScopes, publicRoutes, walkApiRoutes, type Layer } from '../../support/api-router-walk';

const routes = walkApiRoutes();

test('when the API router is walked, then it finds the routes (the walk sees them)', () => {
	expect(routes.size).toBeGreaterThan(20);
	expect(routes.get('POST /campaigns')).toBe('write');
	expect(routes.get('GET /campaigns/:id/stats')).toBe('read');
	expect(routes.get('POST /webhooks')).toBe('webhooks');
	expect(routes.get('POST /keys')).toBe('admin');
	expect(routes.get('GET /campaigns/:id/live')).toBe('read');
});

test('when any /api/v1 route is served, then its first handler declares the scope it needs (or it is a listed public route)', () => {
	const undeclared = [...routes]
		.filter(([route, scope]) => scope === undefined && !publicRoutes.has(route))
		.map(([route]) => route);
	expect(undeclared).toEqual([]);
	for (const route of publicRoutes) expect(routes.has(route)).toBe(true);
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
