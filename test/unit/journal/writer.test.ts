import {
	appendFileSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lockDataDir, DataDirLocked } from '../../../server/src/journal/lock';
import { readLines } from '../../../server/src/journal/line-reader';
import { listSegments, segmentName } from '../../../server/src/journal/segments';
import { JournalWriter } from '../../../server/src/journal/writer';

// The journal's local half, without a database: the writer's group commit, rotation and cut-back,
// the streaming reader, and the data folder lock. (These replace the old spool's unit tests; the
// loader is tested against PostgreSQL in test/server/journal.)
const line = (n: number) =>
	JSON.stringify({ eventKey: `click_${n}`, userAgent: 'UA with "quotes" and\nnewline' }) + '\n';
const newDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'sms-journal-')), 'journal');

test('when lines are appended concurrently, then each resolves once on disk and all are read back in order, once', async () => {
	const dir = newDir();
	let flushes = 0;
	const writer = new JournalWriter(dir, 1, 1 << 20, () => flushes++);
	await Promise.all(Array.from({ length: 50 }, (_, i) => writer.append(line(i))));
	// Group commit: 50 appends made far fewer flushes.
	expect(flushes).toBeLessThan(50);
	const file = path.join(dir, segmentName(1));
	const lines = await readLines(file, 0, writer.durable.size, 1000);
	expect(lines.map((l) => JSON.parse(l.text).eventKey)).toEqual(
		Array.from({ length: 50 }, (_, i) => `click_${i}`),
	);
	expect(lines[lines.length - 1].end).toBe(statSync(file).size);
	await writer.close();
});

test('when a segment passes its size, then the next batch starts the next segment', async () => {
	const dir = newDir();
	const writer = new JournalWriter(dir, 7, 200, () => undefined);
	for (let i = 0; i < 6; i++) await writer.append(line(i));
	await writer.close();
	expect(listSegments(dir).length).toBeGreaterThan(1);
	expect(listSegments(dir)[0]).toBe(7);
});

test('when a crash cut the last line short, then the reader returns the whole lines only', async () => {
	const dir = newDir();
	const writer = new JournalWriter(dir, 1, 1 << 20, () => undefined);
	await writer.append(line(1));
	await writer.close();
	const file = path.join(dir, segmentName(1));
	appendFileSync(file, '{"eventKey":"click_2","ty');
	const lines = await readLines(file, 0, statSync(file).size, 100);
	expect(lines.map((l) => JSON.parse(l.text).eventKey)).toEqual(['click_1']);
});

test('when lines are read in small steps from a position, then every line comes once (streaming, bounded per call)', async () => {
	const dir = newDir();
	const writer = new JournalWriter(dir, 1, 1 << 30, () => undefined);
	for (let i = 0; i < 30; i++) await writer.append(line(i));
	await writer.close();
	const file = path.join(dir, segmentName(1));
	const seen: string[] = [];
	for (let at = 0; ; ) {
		const lines = await readLines(file, at, writer.durable.size, 7);
		if (lines.length === 0) break;
		expect(lines.length).toBeLessThanOrEqual(7);
		seen.push(...lines.map((l) => JSON.parse(l.text).eventKey));
		at = lines[lines.length - 1].end;
	}
	expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `click_${i}`));
});

test('when a write fails, then the batch is refused, the segment is cut back to its last whole batch and a new one is started', async () => {
	const dir = newDir();
	const writer = new JournalWriter(dir, 1, 1 << 20, () => undefined);
	await writer.append(line(1));
	const good = writer.durable.size;
	// Make the open segment unwritable under the writer: the next write fails.
	const handle = (writer as unknown as { file: { write: () => Promise<never> } }).file;
	handle.write = () =>
		Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
	await expect(writer.append(line(2))).rejects.toThrow('no space');
	expect(statSync(path.join(dir, segmentName(1))).size).toBe(good);
	await writer.append(line(3));
	expect(readFileSync(path.join(dir, segmentName(2)), 'utf8')).toBe(line(3));
	await writer.close();
	expect(readdirSync(dir).sort()).toEqual([segmentName(1), segmentName(2)]);
});

test('when a second holder locks the data folder, then it is refused with a clear message, and a stale lock is taken over', () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-lock-'));
	const release = lockDataDir(dataDir);
	expect(statSync(path.join(dataDir, 'lock')).mode & 0o777).toBe(0o600);
	// Another live process (this one's parent) holds it.
	const lockFile = path.join(dataDir, 'lock');
	writeFileSync(lockFile, `${process.ppid}\n`);
	expect(() => lockDataDir(dataDir)).toThrow(DataDirLocked);
	expect(() => lockDataDir(dataDir)).toThrow(/in use by another server \(PID \d+\)/);
	// A PID that no longer runs: the lock is stale and taken over.
	writeFileSync(lockFile, '2147483646\n');
	const again = lockDataDir(dataDir);
	expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
	again();
	release();
});
