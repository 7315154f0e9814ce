import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/**
 * An output item for an error under Continue On Fail: `fields` (the input item's, with whatever the
 * operation adds) stay beside `error`, so the next node still has the recipient's data.
 */
export function errorItem(
	error: Error,
	itemIndex: number,
	fields: IDataObject = {},
): INodeExecutionData {
	const description = (error as { description?: string }).description;
	return {
		json: {
			...fields,
			error: error.message,
			...(description ? { errorDescription: description } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}
