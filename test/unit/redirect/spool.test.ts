import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NewEvent } from '../../../server/src/events/types';
import { Spool } from '../../../server/src/redirect/spool';

const event = (n: number): NewEvent => ({
	eventKey: `click_${n}`,
	type: 'click',
	occurredAt: new Date(Date.UTC(2026, 10, 20, 10, 0, n)),
	campaignId: 'cmp_1',
	code: 'Ab3dE7xQ',
	clickId: `click${n}`,
	userAgent: 'UA with "quotes" and\nnewline',
});

const newSpool = () =>
	new Spool(path.join(mkdtempSync(path.join(tmpdir(), 'sms-spool-')), 'spool'));

test('when events are appended and replayed, then the same events come back once and the files are gone', async () => {
	const spool = newSpool();
	await spool.append([event(1), event(2)]);
	await spool.append([event(3)]);
	expect(await spool.hasPending()).toBe(true);
	const seen: NewEvent[] = [];
	expect(await spool.replay(async (events) => void seen.push(...events))).toBe(3);
	expect(seen).toEqual([event(1), event(2), event(3)]);
	expect(readdirSync(spool.dir)).toEqual([]);
	expect(await spool.hasPending()).toBe(false);
	expect(await spool.replay(async () => void seen.push(event(99)))).toBe(0);
});

test('when the insert fails during a replay, then the file stays and the next replay delivers everything', async () => {
	const spool = newSpool();
	await spool.append([event(1), event(2), event(3)]);
	await expect(
		spool.replay(async () => {
			throw new Error('database gone');
		}, 2),
	).rejects.toThrow('database gone');
	expect(readdirSync(spool.dir)).toHaveLength(1);
	const seen: string[] = [];
	await spool.replay(async (events) => void seen.push(...events.map((e) => e.eventKey)), 2);
	expect(seen).toEqual(['click_1', 'click_2', 'click_3']);
});

test('when events are appended while a replay runs, then they go to a new file and a later replay delivers them', async () => {
	const spool = newSpool();
	await spool.append([event(1)]);
	const seen: string[] = [];
	await spool.replay(async (events) => {
		seen.push(...events.map((e) => e.eventKey));
		await spool.append([event(2)]);
	});
	expect(seen).toEqual(['click_1']);
	expect(await spool.hasPending()).toBe(true);
	await spool.replay(async (events) => void seen.push(...events.map((e) => e.eventKey)));
	expect(seen).toEqual(['click_1', 'click_2']);
});

test('when a crash cut the last line short, then the complete lines are replayed and the broken one is reported', async () => {
	const spool = newSpool();
	await spool.append([event(1)]);
	await spool.close();
	const [file] = readdirSync(spool.dir);
	appendFileSync(path.join(spool.dir, file), '{"eventKey":"click_2","ty');
	const seen: string[] = [];
	const bad: string[] = [];
	await new Spool(spool.dir).replay(
		async (events) => void seen.push(...events.map((e) => e.eventKey)),
		100,
		(f) => bad.push(f),
	);
	expect(seen).toEqual(['click_1']);
	expect(bad).toEqual([file]);
});
