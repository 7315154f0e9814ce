import { mounts } from '../../../server/src/mounts';
import { createCodeMatcher } from '../../../server/src/redirect/paths';

const segments = Object.values(mounts)
	.map((path) => path.split('/')[1])
	.filter((segment) => /^[0-9A-Za-z]+$/.test(segment));

test.each(segments)(
	'when a short code would read like the mounted top-level path /%s, then the redirect leaves it to the app and the same letters in capitals stay a code',
	(segment) => {
		expect(createCodeMatcher(segment.length)('GET', `/${segment}`)).toBeUndefined();
		expect(createCodeMatcher(segment.length)('GET', `/${segment.toUpperCase()}`)).toBe(
			segment.toUpperCase(),
		);
	},
);
