import { assignVariant as serverAssign } from '../../server/src/campaigns/assign-variant';
import { assignVariant as nodeAssign } from '../../nodes/shared/variants';

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
