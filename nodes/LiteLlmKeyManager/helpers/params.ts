/**
 * Reading and checking parameters. Every check raises a NodeOperationError that names the field, and runs
 * before anything is written, so a wrong parameter never leaves a half-done change behind.
 */
import { type IDataObject, type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { jsonObjectParam, listParam, numberParam } from '../../shared/params';
import { isProviderId, PROVIDERS } from '../../shared/providers';
import { baseUrlRefusal } from '../../shared/providers/base-url';
import type { ProviderSpec } from '../../shared/providers/types';
import { isLeaseName } from '../../shared/rotation/lease';
import { MIN_LEASE_SECONDS } from './fields';
import { safeNode } from './safe-node';

export function fail(
	ctx: IExecuteFunctions,
	i: number,
	message: string,
	description?: string,
): never {
	throw new NodeOperationError(safeNode(ctx.getNode()), message, { itemIndex: i, description });
}

export function str(ctx: IExecuteFunctions, name: string, i: number, fallback = ''): string {
	const value = ctx.getNodeParameter(name, i, fallback) as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

export function provider(
	ctx: IExecuteFunctions,
	i: number,
	value = str(ctx, 'provider', i),
): ProviderSpec {
	if (!isProviderId(value)) {
		fail(
			ctx,
			i,
			`Provider "${value.slice(0, 40)}" is not one the Key Manager knows`,
			`Pick one of: ${Object.keys(PROVIDERS).join(', ')}`,
		);
	}
	return PROVIDERS[value];
}

/** LiteLLM reads keys as `os.environ/NAME`: the name must be a valid environment variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function secretName(
	ctx: IExecuteFunctions,
	i: number,
	field = 'keyName',
	label = 'Key Name',
	fallback = '',
): string {
	const name = str(ctx, field, i) || fallback;
	if (!ENV_NAME.test(name)) {
		fail(
			ctx,
			i,
			`${label} "${name.slice(0, 60)}" cannot be read by LiteLLM as os.environ/${name.slice(0, 60)}`,
			'Use letters, digits and underscores, not starting with a digit (e.g. OPENAI_API_KEY or OPENAI_API_KEY_2)',
		);
	}
	if (isLeaseName(name))
		fail(
			ctx,
			i,
			`${label} may not end in _ROTATION_LEASE or _ROTATION_LEASE_<number> (reserved for rotation leases)`,
		);
	return name;
}

export function checkKeyFormat(
	ctx: IExecuteFunctions,
	i: number,
	spec: ProviderSpec,
	key: string,
	field: string,
): void {
	if (!key) {
		if (spec.needsKey) fail(ctx, i, `${field} is empty`, `Give the ${spec.displayName} key`);
		return;
	}
	if (/\s/.test(key) || (spec.keyFormat && !spec.keyFormat.test(key))) {
		fail(ctx, i, `${field} does not look like a ${spec.displayName} key`, spec.keyFormatHint);
	}
}

/**
 * The key to store: typed into the node (a password field) or taken from a field of the incoming item,
 * so a previous node can hand it over without it ever being a node parameter.
 */
export function keyFromSource(
	ctx: IExecuteFunctions,
	i: number,
	prefix: 'apiKey' | 'newKey',
): { key: string; field: string } {
	const source = str(ctx, `${prefix}Source`, i, 'parameter');
	if (source === 'inputField') {
		const field = str(ctx, `${prefix}Field`, i);
		if (!field)
			fail(
				ctx,
				i,
				'Input Field Name is empty',
				'Name the field of the incoming item that holds the key',
			);
		const value = ctx.getInputData()[i]?.json?.[field];
		if (typeof value !== 'string' || !value.trim())
			fail(ctx, i, `The incoming item has no key in the field "${field.slice(0, 60)}"`);
		return { key: value.trim(), field: `Input field "${field}"` };
	}
	return { key: str(ctx, prefix, i), field: prefix === 'apiKey' ? 'API Key' : 'New Key' };
}

export function optionalNumber(
	ctx: IExecuteFunctions,
	i: number,
	value: unknown,
	field: string,
	min?: number,
): number | undefined {
	return numberParam(safeNode(ctx.getNode()), value, field, i, min);
}

/** The rotation lease in seconds, at least MIN_LEASE_SECONDS. */
export function leaseSecondsOf(ctx: IExecuteFunctions, i: number): number {
	return (
		optionalNumber(
			ctx,
			i,
			ctx.getNodeParameter('leaseSeconds', i, 300),
			'Lease (Seconds)',
			MIN_LEASE_SECONDS,
		) ?? 300
	);
}

export function jsonObject(
	ctx: IExecuteFunctions,
	i: number,
	value: unknown,
	field: string,
): IDataObject | undefined {
	return jsonObjectParam(safeNode(ctx.getNode()), value, field, i);
}

export function list(ctx: IExecuteFunctions, i: number, value: unknown, field: string): string[] {
	return listParam(safeNode(ctx.getNode()), value, field, i);
}

/** LiteLLM durations: 30s, 30m, 30h, 30d, 1mo. */
export function duration(
	ctx: IExecuteFunctions,
	i: number,
	value: string,
	field: string,
): string | undefined {
	if (!value) return undefined;
	if (!/^\d+(s|m|h|d|mo)$/.test(value))
		fail(
			ctx,
			i,
			`${field} must be a LiteLLM duration such as 30d, 24h, 1mo (got "${value.slice(0, 20)}")`,
		);
	return value;
}

/** A virtual key by alias or hash; a plaintext key is refused so it never sits in a workflow. */
export function keyRef(ctx: IExecuteFunctions, i: number): { alias: string } | { hash: string } {
	const by = str(ctx, 'keyRefType', i, 'alias');
	const value = str(ctx, 'keyRef', i);
	if (!value) fail(ctx, i, 'Key is empty', 'Give the key alias or its hash (token)');
	if (value.startsWith('sk-')) {
		fail(
			ctx,
			i,
			'Key must be an alias or a hash, not the key itself',
			'Never put a plaintext key in a node: use the alias, or the key hash (token) from List',
		);
	}
	if (by === 'hash') {
		if (!/^[0-9a-f]{64}$/.test(value))
			fail(ctx, i, 'Key hash must be the 64 hex characters of the token');
		return { hash: value };
	}
	return { alias: value };
}

/**
 * A base URL typed into the node that a provider key will be sent to; the rules (providers/base-url.ts) are
 * the same ones every stored base URL is re-checked against before use.
 */
export function providerBaseUrl(
	ctx: IExecuteFunctions,
	i: number,
	spec: ProviderSpec,
	value: string,
	field: string,
): string {
	if (!value) return value;
	const refusal = baseUrlRefusal(spec, value);
	if (refusal)
		fail(
			ctx,
			i,
			`${field} ${refusal}`,
			spec.customEndpoint
				? undefined
				: 'For another endpoint choose the provider "OpenAI-Compatible Endpoint"',
		);
	return value;
}
