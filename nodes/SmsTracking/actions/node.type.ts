import type {
	AllEntities,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

/** Every resource of the SMS Tracking node and its operations. */
export type SmsTrackingMap = {
	message: 'send' | 'shorten' | 'reportSends';
	campaign:
		| 'create'
		| 'get'
		| 'getAll'
		| 'update'
		| 'archive'
		| 'unarchive'
		| 'delete'
		| 'getStats'
		| 'getRecipients'
		| 'getTrackingCode'
		| 'pickWinner';
	conversion: 'track';
	optOut: 'add' | 'getAll' | 'remove';
	recipient: 'erase';
	event: 'getAll';
};

export type SmsTrackingType = AllEntities<SmsTrackingMap>;

export type Execute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[][]>;

/** What every `<operation>.operation.ts` exports. */
export interface Operation {
	description: INodeProperties[];
	execute: Execute;
}
