import type { AllEntities } from 'n8n-workflow';

/** Every resource of the SMS Tracking node and its operations. */
export type SmsTrackingMap = {
	message: 'send' | 'shorten';
	campaign: 'create' | 'get' | 'getStats' | 'getRecipients' | 'pickWinner';
	conversion: 'track';
};

export type SmsTrackingType = AllEntities<SmsTrackingMap>;
