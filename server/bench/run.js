#!/usr/bin/env node
// Runs every server/bench/*.bench.js (or those named on the command line) one after another.
// Each prints its figures as ratios against a bare baseline measured in the same run.
// `--quick`: small sizes (see support.js), for CI. `--full`: the large sizes some benches have
// (stats.bench.js: 10,000,000 events over 50 campaigns), run by hand only.
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const full = args.includes('--full');
const only = args.filter((a) => a !== '--quick' && a !== '--full');
const benches = readdirSync(__dirname)
	.filter((f) => f.endsWith('.bench.js'))
	.filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
	.sort();

let failed = 0;
for (const file of benches) {
	console.log(`\n=== ${file}`);
	const result = spawnSync(process.execPath, [path.join(__dirname, file)], {
		stdio: 'inherit',
		env: {
			...process.env,
			...(quick ? { BENCH_QUICK: '1' } : {}),
			...(full ? { BENCH_FULL: '1' } : {}),
		},
	});
	if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
