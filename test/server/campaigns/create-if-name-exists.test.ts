import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const uniqueName = () => `order ${randomBytes(5).toString('hex')}`;
const create = (body: Record<string, unknown>) => server.api('POST', '/api/v1/campaigns', body);
const countNamed = async (name: string) =>
	(
		await server.sql<{ n: number }>('SELECT count(*)::int AS n FROM campaigns WHERE name = $1', [
			name,
		])
	)[0].n;

test('when ifNameExists=return names an existing campaign, then that campaign is returned (200) and none is created', async () => {
	const name = uniqueName();
	const first = await create({ name, ifNameExists: 'return' });
	expect(first.status).toBe(201);
	const again = await create({ name, ifNameExists: 'return', conversionTracking: true });
	expect(again.status).toBe(200);
	expect(again.body).toEqual(first.body);
	expect(await countNamed(name)).toBe(1);
});

test('when several get-or-creates of one name run at once, then exactly one campaign is made', async () => {
	const name = uniqueName();
	const results = await Promise.all(
		Array.from({ length: 6 }, () => create({ name, ifNameExists: 'return' })),
	);
	expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
	expect(results.filter((r) => r.status === 201)).toHaveLength(1);
	expect(await countNamed(name)).toBe(1);
});

test('when ifNameExists=fail names an existing campaign, then 409 campaign_name_exists naming it and nothing is created', async () => {
	const name = uniqueName();
	const first = await create({ name });
	const res = await create({ name, ifNameExists: 'fail' });
	expect(res.status).toBe(409);
	expect(res.body.error.code).toBe('campaign_name_exists');
	expect(res.body.error.message).toContain(first.body.id);
	expect(await countNamed(name)).toBe(1);
});

test('when ifNameExists is absent, then a second campaign of the same name is created (as before)', async () => {
	const name = uniqueName();
	await create({ name });
	expect((await create({ name })).status).toBe(201);
	expect(await countNamed(name)).toBe(2);
});

test('when ifNameExists is neither return nor fail, then 400 and nothing is created', async () => {
	const name = uniqueName();
	const res = await create({ name, ifNameExists: 'replace' });
	expect(res.status).toBe(400);
	expect(res.body.error.message).toMatch(/ifNameExists must be "return" or "fail"/);
	expect(await countNamed(name)).toBe(0);
});
