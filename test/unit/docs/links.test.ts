import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// Code comments, documentationUrls and the docs themselves point at docs/<file>.md#<anchor>; a
// renamed heading or a moved section must not leave them pointing at nothing.
const root = path.resolve(__dirname, '../../..');
const docsDir = path.join(root, 'docs');

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
	return heading
		.replace(/[`*_]/g, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N} -]/gu, '')
		.replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
	const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
	const anchors = new Set<string>();
	for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) anchors.add(slug(heading));
	for (const [, id] of text.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(id);
	return anchors;
}

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (name === 'node_modules' || name === 'dist') return [];
		return statSync(full).isDirectory() ? filesUnder(full, keep) : keep(full) ? [full] : [];
	});
}

const sources = [
	path.join(root, 'README.md'),
	...filesUnder(docsDir, (f) => f.endsWith('.md')),
	...['nodes', 'credentials', 'server/src', 'server/bench', 'test'].flatMap((dir) =>
		filesUnder(path.join(root, dir), (f) => /\.(ts|js|json|sql)$/.test(f)),
	),
];

/** Every `docs/<file>.md#anchor` in code and every relative `[…](<file>.md#anchor)` link in Markdown. */
function references(file: string): Array<{ target: string; anchor?: string }> {
	const text = readFileSync(file, 'utf8');
	const found: Array<{ target: string; anchor?: string }> = [];
	for (const [, doc, anchor] of text.matchAll(/docs\/([\w-]+\.md)(?:#([\w-]+))?/g)) {
		found.push({ target: path.join(docsDir, doc), anchor });
	}
	if (file.endsWith('.md')) {
		for (const [, link, anchor] of text.matchAll(
			/\]\(((?:[\w-]+\/)*[\w-]+\.md)?(?:#([\w-]+))?\)/g,
		)) {
			if (!link && !anchor) continue;
			found.push({ target: link ? path.resolve(path.dirname(file), link) : file, anchor });
		}
	}
	return found;
}

test('when code or docs point at docs/<file>.md#<anchor>, then that page and anchor exist', () => {
	const broken = sources.flatMap((file) =>
		references(file)
			.filter(({ target, anchor }) => {
				try {
					return anchor !== undefined && !anchorsOf(target).has(anchor);
				} catch {
					return true; // the page itself is missing
				}
			})
			.map(
				({ target, anchor }) =>
					`${path.relative(root, file)} → ${path.relative(root, target)}#${anchor ?? ''}`,
			),
	);
	expect(sources.length).toBeGreaterThan(100);
	expect(broken).toEqual([]);
});
