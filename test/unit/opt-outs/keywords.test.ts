import { intentOf } from '../../../server/src/opt-outs/keywords';

test.each([
	['STOP', 'opt-out'],
	['stop', 'opt-out'],
	['  Stop.  ', 'opt-out'],
	['STOP!', 'opt-out'],
	['unsubscribe', 'opt-out'],
	['Stopp', 'opt-out'],
	['ABMELDEN', 'opt-out'],
	['cancel', 'opt-out'],
	['START', 'opt-in'],
	['unstop', 'opt-in'],
	['yes', 'opt-in'],
	["Please don't stop", null],
	['STOP sending me ads', null],
	['', null],
	['👍', null],
])('when someone replies %p, then the intent is %p', (text, intent) => {
	expect(intentOf(text)).toBe(intent);
});
