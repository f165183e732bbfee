import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
} from 'n8n-workflow';

const CREDENTIAL_BY_AUTH: Record<string, string> = {
	header: 'fixtureHeaderApi',
	function: 'fixtureFunctionApi',
	token: 'fixtureTokenApi',
};

/**
 * The harness's test subject: per item, one authenticated request to `{baseUrl}{path}`, the response
 * body in the output, the usual continueOnFail / NodeApiError handling of a programmatic node.
 */
export class HarnessFixture implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Fixture',
		name: 'harnessFixture',
		group: ['transform'],
		version: [1, 2],
		description: 'Fixture for the engine harness tests',
		defaults: { name: 'Harness Fixture' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'fixtureHeaderApi',
				required: true,
				displayOptions: { show: { authentication: ['header'] } },
			},
			{
				name: 'fixtureFunctionApi',
				required: true,
				displayOptions: { show: { authentication: ['function'] } },
			},
			{
				name: 'fixtureTokenApi',
				required: true,
				displayOptions: { show: { authentication: ['token'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Header', value: 'header' },
					{ name: 'Function', value: 'function' },
					{ name: 'Token', value: 'token' },
				],
				default: 'header',
			},
			{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
			{
				displayName: 'Fail With',
				name: 'failWith',
				type: 'options',
				options: [
					{ name: 'Nothing', value: 'none' },
					{ name: 'Operation Error', value: 'operationError' },
				],
				default: 'none',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		const authentication = this.getNodeParameter('authentication', 0) as string;
		const credentialType = CREDENTIAL_BY_AUTH[authentication];
		const credentials = await this.getCredentials(credentialType);
		const nodeStaticData = this.getWorkflowStaticData('node');

		for (let i = 0; i < items.length; i++) {
			try {
				if (this.getNodeParameter('failWith', i) === 'operationError') {
					throw new NodeOperationError(this.getNode(), `Fixture refused item ${i}`, {
						itemIndex: i,
					});
				}
				const signal = this.getExecutionCancelSignal();
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					credentialType,
					{
						method: 'POST',
						url: `${credentials.baseUrl as string}${this.getNodeParameter('path', i) as string}`,
						body: { item: i, input: items[i].json },
						json: true,
					},
				)) as IDataObject;
				nodeStaticData.requests = ((nodeStaticData.requests as number | undefined) ?? 0) + 1;
				returnData.push({
					json: {
						itemIndex: i,
						typeVersion: this.getNode().typeVersion,
						nodeType: this.getNode().type,
						cancelSignalAvailable: signal instanceof AbortSignal && !signal.aborted,
						response,
					},
					pairedItem: { item: i },
				});
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
			}
		}
		return [returnData];
	}
}
