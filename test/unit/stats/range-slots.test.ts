import { planRange } from '../../../server/src/stats/range-slots';

const d = (iso: string) => new Date(iso);

test.each([
	[
		'a range on slot boundaries: all from the rollups',
		'2026-11-20T10:00:00Z',
		'2026-11-21T10:00:00Z',
		['2026-11-20T10:00:00.000Z', '2026-11-21T10:00:00.000Z'],
		[
			['2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z'],
			['2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00.000Z'],
		],
	],
	[
		'a range cutting a slot at each end: two partial slots',
		'2026-11-20T10:07:00Z',
		'2026-11-20T11:20:30Z',
		['2026-11-20T10:15:00.000Z', '2026-11-20T11:15:00.000Z'],
		[
			['2026-11-20T10:07:00.000Z', '2026-11-20T10:15:00.000Z'],
			['2026-11-20T11:15:00.000Z', '2026-11-20T11:20:30.000Z'],
		],
	],
	[
		'a range inside one slot: only events',
		'2026-11-20T10:01:00Z',
		'2026-11-20T10:02:00Z',
		['2026-11-20T10:01:00.000Z', '2026-11-20T10:01:00.000Z'],
		[
			['2026-11-20T10:01:00.000Z', '2026-11-20T10:02:00.000Z'],
			['2026-11-20T10:02:00.000Z', '2026-11-20T10:02:00.000Z'],
		],
	],
	[
		'a range across one boundary covering no slot whole: only events',
		'2026-11-20T10:10:00Z',
		'2026-11-20T10:20:00Z',
		['2026-11-20T10:10:00.000Z', '2026-11-20T10:10:00.000Z'],
		[
			['2026-11-20T10:10:00.000Z', '2026-11-20T10:20:00.000Z'],
			['2026-11-20T10:20:00.000Z', '2026-11-20T10:20:00.000Z'],
		],
	],
	[
		'an open start: the rollups from the beginning of time',
		null,
		'2026-11-20T10:20:00Z',
		['-infinity', '2026-11-20T10:15:00.000Z'],
		[
			['-infinity', '-infinity'],
			['2026-11-20T10:15:00.000Z', '2026-11-20T10:20:00.000Z'],
		],
	],
	[
		'an open end',
		'2026-11-20T10:20:00Z',
		null,
		['2026-11-20T10:30:00.000Z', 'infinity'],
		[
			['2026-11-20T10:20:00.000Z', '2026-11-20T10:30:00.000Z'],
			['infinity', 'infinity'],
		],
	],
])('when %s, then the plan says so', (_name, from, to, slots, partials) => {
	expect(planRange(from ? d(from) : null, to ? d(to) : null)).toEqual({ slots, partials });
});
