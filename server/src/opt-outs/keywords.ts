/**
 * What an inbound SMS asks for. The keywords are the ones carriers and Twilio's Advanced Opt-Out
 * treat as opt-out and opt-in (in the US they are mandatory), plus the German ones a seven.io
 * audience sends. A message counts only when it is the keyword alone (case, spaces and trailing
 * punctuation aside): "stop." opts out, "Please don't stop" does not.
 */
const optOut = new Set([
	'STOP',
	'STOPALL',
	'UNSUBSCRIBE',
	'CANCEL',
	'END',
	'QUIT',
	'STOPP',
	'ABMELDEN',
]);
const optIn = new Set(['START', 'YES', 'UNSTOP', 'ANMELDEN']);

export type InboundIntent = 'opt-out' | 'opt-in' | null;

export function intentOf(text: string): InboundIntent {
	const word = text
		.trim()
		.replace(/[\s.!,;:]+$/u, '')
		.toUpperCase();
	if (optOut.has(word)) return 'opt-out';
	if (optIn.has(word)) return 'opt-in';
	return null;
}
