import { z } from 'zod';
import { coded } from '../http/schema';

/** The wave of links and messages that name none: everything stored before waves, and old clients. */
export const defaultWave = 'Initial';
export const maxWaveLength = 100;

/** A wave name in a request's schema: trimmed, 1 to 100 characters. */
export const waveName = z
	.string({ error: coded('invalid_wave', 'must be a non-empty wave name such as "Initial" or "Reminder"') })
	.trim()
	.min(1, { error: coded('invalid_wave', 'must be a non-empty wave name such as "Initial" or "Reminder"') })
	.max(maxWaveLength, { error: coded('invalid_wave', `must be at most ${maxWaveLength} characters`) })
	.meta({ description: 'A send wave, such as "Initial" or "Reminder"' });
