import type { INode } from 'n8n-workflow';
import { assignVariant as serverAssign } from '../../../server/src/campaigns/assign-variant';
import { maxVariants, newCampaignBody } from '../../../server/src/campaigns/schemas';
import { abLimits, parseAbTest, type VariantEntry } from '../../../nodes/SmsTracking/helpers/ab';
import { assignVariant as nodeAssign } from '../../../nodes/shared/variants';

const recipients = (n: number) =>
	Array.from({ length: n }, (_, i) => `+4915${String(100000000 + i)}`);

describe('variant assignment', () => {
	const variants = [
		{ name: 'A', weight: 3 },
		{ name: 'B', weight: 1 },
	];

	test('when node and server assign 100,000 recipients, then every assignment is identical', () => {
		for (const [vs, holdout] of [
			[variants, 0.1],
			[
				[
					{ name: 'x', weight: 1 },
					{ name: 'y', weight: 1 },
					{ name: 'z', weight: 2 },
					{ name: 'w', weight: 0.5 },
				],
				0,
			],
		] as const) {
			let mismatches = 0;
			for (const r of recipients(100_000)) {
				if (
					nodeAssign('cmp_abc', r, [...vs], holdout) !==
					serverAssign('cmp_abc', r, [...vs], holdout)
				)
					mismatches++;
			}
			expect(mismatches).toBe(0);
		}
	});

	test('when 100,000 recipients are split 3:1 with a 10 % hold-out, then the shares are within half a percent', () => {
		const counts: Record<string, number> = { A: 0, B: 0, holdout: 0 };
		for (const r of recipients(100_000)) counts[nodeAssign('cmp_split', r, variants, 0.1)]++;
		expect(Math.abs(counts.holdout / 100_000 - 0.1)).toBeLessThan(0.005);
		expect(Math.abs(counts.A / 100_000 - 0.675)).toBeLessThan(0.005);
		expect(Math.abs(counts.B / 100_000 - 0.225)).toBeLessThan(0.005);
	});

	test('when the same recipient is assigned twice, then the variant is the same; another campaign reshuffles', () => {
		const list = recipients(2_000);
		const first = list.map((r) => nodeAssign('cmp_one', r, variants, 0.1));
		expect(list.map((r) => nodeAssign('cmp_one', r, variants, 0.1))).toEqual(first);
		const other = list.map((r) => nodeAssign('cmp_two', r, variants, 0.1));
		expect(other.filter((v, i) => v !== first[i]).length).toBeGreaterThan(200);
	});
});

describe('A/B test limits in the node and on the server', () => {
	const node = {
		name: 'SMS Tracking',
		type: 'smsTracking',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	} as INode;

	/** Whether the node accepts the set-up (variants, hold-out in percent). */
	const nodeAccepts = (entries: VariantEntry[], percent: number) => {
		try {
			parseAbTest(node, entries, percent);
			return true;
		} catch {
			return false;
		}
	};
	/** Whether the server accepts the same set-up as the node sends it (trimmed names, hold-out share). */
	const serverAccepts = (entries: VariantEntry[], percent: number) => {
		const variants = entries.map((e) => ({
			name: String(e.name ?? '').trim(),
			weight: Number(e.weight ?? 1),
		}));
		return newCampaignBody.safeParse({ name: 'limits', variants, holdout: percent / 100 }).success;
	};

	test('when the limits are read, then the node allows as many variants as the server', () => {
		expect(abLimits.maxVariants).toBe(maxVariants);
	});

	test('when thousands of set-ups are checked by both, then each is accepted by both or refused by both', () => {
		const names = [
			'A',
			'B',
			'c',
			' D ',
			'e_1',
			'f-2',
			'x'.repeat(32),
			'y'.repeat(33),
			'holdout',
			'',
			'a b',
			'ä',
			'A',
		];
		const weights = [
			1,
			2.5,
			0,
			-1,
			0.0001,
			0.00009,
			1_000_000,
			1_000_001,
			Number.NaN,
			Number.POSITIVE_INFINITY,
			undefined,
		];
		const percents = [0, 10, 50, 95, 95.01, 96, 100, -1, -0.01];
		// A fixed pseudo-random walk over the combinations (same inputs on every run).
		let seed = 7;
		const pick = <T>(list: T[]) => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return list[seed % list.length];
		};
		const differ: string[] = [];
		let accepted = 0;
		for (let run = 0; run < 5000; run++) {
			const count = run % (maxVariants + 3);
			const entries: VariantEntry[] = Array.from({ length: count }, (_, i) => ({
				name: run % 3 === 0 ? pick(names) : `V${i}`,
				weight: run % 2 === 0 ? pick(weights) : 1,
			}));
			const percent = pick(percents);
			const byNode = nodeAccepts(entries, percent);
			if (byNode !== serverAccepts(entries, percent))
				differ.push(`${JSON.stringify(entries)} ${percent} %: node ${byNode}`);
			if (byNode) accepted++;
		}
		expect(differ).toEqual([]);
		// Both answers occur: the comparison is not of two constant answers.
		expect(accepted).toBeGreaterThan(200);
		expect(accepted).toBeLessThan(4800);
	});
});
