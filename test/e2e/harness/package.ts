import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Installed } from './n8n';

const repoRoot = path.resolve(__dirname, '../../..');

/** `npm run build && npm pack`: the tarball a user would install; returns its path. */
export function buildAndPack(destination: string): string {
	mkdirSync(destination, { recursive: true });
	execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: repoRoot,
		stdio: ['ignore', 'pipe', 'inherit'],
	}).toString();
	const [packed] = JSON.parse(out) as Array<{ filename: string }>;
	const tarball = path.join(destination, packed.filename);
	if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}`);
	return tarball;
}

/**
 * Installs the tarball the way n8n's community-package installer does: `npm install <tgz>
 * --omit=dev --omit=peer --ignore-scripts` inside `<user folder>/.n8n/nodes`, on n8n's Node.
 */
export function installCommunityPackage(installed: Installed, nodesFolder: string, tarball: string): void {
	mkdirSync(nodesFolder, { recursive: true });
	const manifest = path.join(nodesFolder, 'package.json');
	if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	execFileSync(
		'npm',
		['install', tarball, '--omit=dev', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
		{
			cwd: nodesFolder,
			env: { ...process.env, PATH: `${installed.nodeBin}${path.delimiter}${process.env.PATH ?? ''}` },
			stdio: ['ignore', 'ignore', 'inherit'],
		},
	);
}
