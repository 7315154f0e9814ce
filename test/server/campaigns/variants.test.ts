import { assignVariant } from '../../../server/src/campaigns/assign-variant';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const campaign = async (extra: Record<string, unknown> = {}) =>
	(await server.api('POST', '/api/v1/campaigns', { name: 'variants', ...extra })).body.id as string;
const report = (id: string, messages: unknown[]) =>
	server.api('POST', `/api/v1/campaigns/${id}/messages`, { messages });

describe('PUT /campaigns/:id/variants', () => {
	const split = {
		variants: [
			{ name: 'A', weight: 1 },
			{ name: 'B', weight: 2 },
		],
		holdout: 0.1,
	};

	/** A campaign with `split` set and one message already reported sent with variant A. */
	async function splitCampaignWithSentMessage(messageIdPrefix: string): Promise<string> {
		const id = await campaign();
		await server.api('PUT', `/api/v1/campaigns/${id}/variants`, split);
		await report(id, [
			{
				recipient: '+4915100000001',
				variant: 'A',
				status: 'sent',
				provider: 'seven',
				providerMessageId: `${messageIdPrefix}-${id}`,
			},
		]);
		return id;
	}

	test('when a campaign without variants gets a split, then links are assigned by it', async () => {
		const id = await campaign();
		const res = await server.api('PUT', `/api/v1/campaigns/${id}/variants`, split);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id, variants: split.variants, holdout: 0.1 });
		const links = await server.api('POST', `/api/v1/campaigns/${id}/links`, {
			recipients: [{ recipient: '+4915100000001', urls: ['https://shop.example/'] }],
		});
		expect(links.body.links[0].variant).toBe(
			assignVariant(id, '+4915100000001', split.variants, split.holdout),
		);
	});

	test('when the same split is set again after sending, then it is accepted unchanged', async () => {
		const id = await splitCampaignWithSentMessage('same');
		expect((await server.api('PUT', `/api/v1/campaigns/${id}/variants`, split)).status).toBe(200);
		expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body).toMatchObject(split);
	});

	test("when the same split comes with the variants' texts after sending, then the texts are stored and the split is not reshuffled", async () => {
		const id = await splitCampaignWithSentMessage('texts');
		const withTexts = {
			...split,
			variants: [
				{ name: 'A', weight: 1, text: 'Hi {{ $json.name }}, 20 % off: https://shop.example/a' },
				{ name: 'B', weight: 2, text: 'Last day: https://shop.example/b' },
			],
		};
		const res = await server.api('PUT', `/api/v1/campaigns/${id}/variants`, withTexts);
		expect(res.status).toBe(200);
		expect(res.body.variants).toEqual(withTexts.variants);
		// a later send without texts keeps them
		await server.api('PUT', `/api/v1/campaigns/${id}/variants`, split);
		expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.variants).toEqual(
			withTexts.variants,
		);
	});

	test.each([
		['not a string', 42, 'variants[0].text must be a string'],
		['too long', 'x'.repeat(1601), 'variants[0].text must be at most 1600 characters'],
	])('when a variant text is %s, then 400 and nothing changes', async (_case, text, message) => {
		const id = await campaign();
		const res = await server.api('PUT', `/api/v1/campaigns/${id}/variants`, {
			...split,
			variants: [{ name: 'A', weight: 1, text }, split.variants[1]],
		});
		expect(res.status).toBe(400);
		expect(res.body.error.message).toBe(message);
		expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.variants).toBeNull();
	});

	test('when a different split is set after messages carry a variant, then it is a 409 and the split stays', async () => {
		const id = await splitCampaignWithSentMessage('used');
		const res = await server.api('PUT', `/api/v1/campaigns/${id}/variants`, {
			variants: [
				{ name: 'A', weight: 1 },
				{ name: 'C', weight: 1 },
			],
		});
		expect(res.status).toBe(409);
		expect(res.body.error.code).toBe('variants_in_use');
		expect((await server.api('GET', `/api/v1/campaigns/${id}`)).body.variants).toEqual(
			split.variants,
		);
	});

	test('when the split is invalid, then it is a 400', async () => {
		const id = await campaign();
		expect(
			(await server.api('PUT', `/api/v1/campaigns/${id}/variants`, { variants: [{ name: 'A' }] }))
				.status,
		).toBe(400);
		expect(
			(await server.api('PUT', `/api/v1/campaigns/${id}/variants`, { ...split, holdout: 0.99 }))
				.status,
		).toBe(400);
	});
});
