import type { INodeProperties } from 'n8n-workflow';

import { PROVIDERS } from '../../shared/providers';

/** Parameters shown only for one resource and some operations (Airtable V2's updateDisplayOptions). */
export function shownFor(
	resource: string,
	operations: string[],
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((p) => ({
		...p,
		displayOptions: {
			...(p.displayOptions ?? {}),
			show: { ...(p.displayOptions?.show ?? {}), resource: [resource], operation: operations },
		},
	}));
}

export const providerField: INodeProperties = {
	displayName: 'Provider',
	name: 'provider',
	type: 'options',
	default: 'openai',
	options: Object.values(PROVIDERS).map((p) => ({ name: p.displayName, value: p.id })),
};

/** `required: false` where an empty name has a meaning (Store: the provider's default name). */
export function secretNameField(
	description: string,
	defaultValue = '',
	required = true,
): INodeProperties {
	return {
		displayName: 'Key Name',
		name: 'keyName',
		type: 'string',
		default: defaultValue,
		placeholder: 'OPENAI_API_KEY',
		description,
		required,
	};
}

/** Where a key comes from: a password parameter, or a field of the incoming item. */
export function keySourceFields(
	prefix: 'apiKey' | 'newKey',
	label: string,
	extra: Array<{ name: string; value: string; description: string }> = [],
): INodeProperties[] {
	return [
		{
			displayName: `${label} Source`,
			name: `${prefix}Source`,
			type: 'options',
			default: 'parameter',
			options: [
				{
					name: 'Enter Here',
					value: 'parameter',
					description:
						'Type or paste the key. n8n saves it in the workflow as a node parameter, NOT encrypted like a credential: prefer From Input Field.',
				},
				{
					name: 'From Input Field',
					value: 'inputField',
					description: 'Read it from a field of the incoming item',
				},
				...extra,
			],
		},
		{
			displayName: label,
			name: prefix,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { [`${prefix}Source`]: ['parameter'] } },
		},
		{
			displayName: 'Input Field Name',
			name: `${prefix}Field`,
			type: 'string',
			default: 'apiKey',
			description: 'Field of the incoming item that holds the key; it is not copied to the output',
			displayOptions: { show: { [`${prefix}Source`]: ['inputField'] } },
		},
	];
}

export const keyRefFields: INodeProperties[] = [
	{
		displayName: 'Find Key By',
		name: 'keyRefType',
		type: 'options',
		default: 'alias',
		options: [
			{ name: 'Alias', value: 'alias' },
			{ name: 'Hash (Token)', value: 'hash' },
		],
	},
	{
		displayName: 'Key',
		name: 'keyRef',
		type: 'string',
		default: '',
		placeholder: 'open-webui',
		description: 'The alias or the 64-character hash. Never the key itself.',
		required: true,
	},
];

export const rotationIdField: INodeProperties = {
	displayName: 'Rotation ID',
	name: 'rotationId',
	type: 'string',
	default: '={{ $execution.id }}',
	description:
		'Running again with the same ID resumes a stopped rotation instead of starting a second one',
};

/**
 * The rotation lease is renewed before every step, and one step makes at most a few requests of 30 s each:
 * a lease shorter than the longest step could run out while its owner still works.
 */
export const MIN_LEASE_SECONDS = 120;

export const leaseField: INodeProperties = {
	displayName: 'Lease (Seconds)',
	name: 'leaseSeconds',
	type: 'number',
	default: 300,
	typeOptions: { minValue: MIN_LEASE_SECONDS },
	description: `How long a stopped rotation blocks others before it may be taken over (at least ${MIN_LEASE_SECONDS}, longer than any step)`,
};
