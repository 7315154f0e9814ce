import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// What `npm pack` would publish, read from npm itself (the build has run: `npm test` builds first).
// n8n's verification asks for a package that ships only what n8n loads and depends on nothing.
const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const packed: string[] = JSON.parse(
	execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	}),
)[0].files.map((file: { path: string }) => file.path);
const shipped = new Set(packed);

const loadedFrom = (file: string) => require(path.join(root, file));

describe('the published package', () => {
	test('when packed, then it holds only the files n8n loads, the README, the LICENSE and package.json', () => {
		const allowed = [
			/^package\.json$/,
			/^README\.md$/,
			/^LICENSE$/,
			/^dist\/credentials\/[A-Za-z]+\.credentials\.js$/,
			/^dist\/nodes\/.+\.js$/,
			/^dist\/nodes\/.+\.node\.json$/,
			/^dist\/nodes\/.+\.svg$/,
		];
		expect(packed.filter((file) => !allowed.some((rule) => rule.test(file)))).toEqual([]);
		expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'README.md']));
	});

	test('when n8n reads package.json, then every node and credential it lists is in the package', () => {
		const listed: string[] = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(listed.length).toBe(5);
		expect(listed.filter((file) => !shipped.has(file))).toEqual([]);
	});

	test('when a shipped file requires another, then that file is shipped too and nothing outside n8n-workflow and node:crypto is required', () => {
		const missing: string[] = [];
		const foreign = new Set<string>();
		for (const file of packed.filter((f) => f.endsWith('.js'))) {
			const source = readFileSync(path.join(root, file), 'utf8');
			for (const [, target] of source.matchAll(/require\("([^"]+)"\)/g)) {
				if (!target.startsWith('.')) {
					foreign.add(target);
					continue;
				}
				const resolved = path.posix.join(path.posix.dirname(file), target);
				const candidates = [resolved, `${resolved}.js`, `${resolved}/index.js`];
				if (!candidates.some((candidate) => shipped.has(candidate)))
					missing.push(`${file} → ${target}`);
			}
		}
		expect(missing).toEqual([]);
		expect([...foreign].sort()).toEqual(['n8n-workflow', 'node:crypto']);
	});

	test('when installed, then it brings no runtime dependency', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(Object.keys(manifest.peerDependencies)).toEqual(['n8n-workflow']);
	});

	test('when n8n shows a node or a credential, then it has a light and a dark icon that are shipped and a link to its documentation', () => {
		const docs =
			/^https:\/\/github\.com\/n8n-nodes-sms-tracking\/n8n-nodes-sms-tracking\/blob\/main\/docs\/[a-z-]+\.md#[a-z0-9-]+$/;
		const iconFile = (from: string, icon: string) =>
			path.posix.join(path.posix.dirname(from), icon.replace(/^file:/, ''));

		for (const file of manifest.n8n.nodes as string[]) {
			const exported = loadedFrom(file);
			const description = new (Object.values(exported)[0] as new () => {
				description: { icon: { light: string; dark: string }; defaultVersion?: number };
			})().description;
			expect(shipped.has(iconFile(file, description.icon.light))).toBe(true);
			expect(shipped.has(iconFile(file, description.icon.dark))).toBe(true);
			expect(description.icon.light).not.toEqual(description.icon.dark);
			const codex = JSON.parse(
				readFileSync(path.join(root, file.replace(/\.js$/, '.json')), 'utf8'),
			);
			expect(codex.resources.primaryDocumentation[0].url).toMatch(docs);
		}
		for (const file of manifest.n8n.credentials as string[]) {
			const exported = loadedFrom(file);
			const credential = new (Object.values(exported)[0] as new () => {
				icon: { light: string; dark: string };
				documentationUrl: string;
			})();
			expect(shipped.has(iconFile(file, credential.icon.light))).toBe(true);
			expect(shipped.has(iconFile(file, credential.icon.dark))).toBe(true);
			expect(credential.documentationUrl).toMatch(docs);
		}
	});
});
