import { apiRouteSchemas, openApiDocument } from '../../../server/src/api-schemas';
import { walkApiRoutes } from '../../support/api-router-walk';

const served = walkApiRoutes();
const described = new Map(apiRouteSchemas.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r.scope]));

test('when a route is served under /api/v1, then the OpenAPI document describes it', () => {
	const missing = [...served.keys()].filter((route) => !described.has(route));
	expect(missing).toEqual([]);
});

test('when the document describes a route, then the server serves it', () => {
	const extra = [...described.keys()].filter((route) => !served.has(route));
	expect(extra).toEqual([]);
});

test('when the document names a route\'s scope, then it is the scope the route enforces', () => {
	const differing = [...served]
		.filter(([route]) => described.has(route))
		.filter(([route, scope]) => (described.get(route) === 'public' ? scope !== undefined : described.get(route) !== scope))
		.map(([route, scope]) => `${route}: serves ${scope}, documents ${described.get(route)}`);
	expect(differing).toEqual([]);
});

test('when the document is built, then each path of it is a served route in OpenAPI form', () => {
	const paths = Object.keys((openApiDocument() as { paths: Record<string, unknown> }).paths);
	expect(paths).toContain('/campaigns/{id}/links');
	expect(paths.every((path) => !path.includes(':'))).toBe(true);
});
