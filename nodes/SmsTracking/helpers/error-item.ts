import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/** An output item for an error under Continue On Fail. */
export function errorItem(
	error: Error,
	itemIndex: number,
	extra: IDataObject = {},
): INodeExecutionData {
	const description = (error as { description?: string }).description;
	return {
		json: {
			...extra,
			error: error.message,
			...(description ? { errorDescription: description } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}
