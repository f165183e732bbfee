/**
 * Where a run's time goes: records a V8 CPU profile of `work` through the inspector (the same sampler as
 * `node --cpu-prof`) and sums each sample's self time by who owns the code it was in, from the script's
 * file path: this package's built code, n8n's request path (@n8n/backend-network, axios, follow-redirects),
 * n8n's engine and expressions (n8n-core, n8n-workflow, their libraries), Node's own http/net/streams, the
 * benchmark's simulators and harness, garbage collection, and idle (the process waiting for answers). A
 * built-in without a script of its own (JSON.parse, a RegExp) counts for the script that called it.
 * Benchmarks print it beside their timing; the profiled run is a separate one, as sampling slows a run.
 */
import { Session } from 'node:inspector/promises';

import { printTable } from './table';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string };
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

const CATEGORIES: Array<[string, (url: string, fn: string) => boolean]> = [
	['idle (waiting for answers)', (_, fn) => fn === '(idle)'],
	['garbage collection', (_, fn) => fn === '(garbage collector)'],
	[
		'this package (dist/nodes, dist/credentials)',
		(url) => !url.includes('node_modules') && /\/dist\/(nodes|credentials)\//.test(url),
	],
	[
		"n8n's request path (@n8n/backend-network, axios, follow-redirects)",
		(url) =>
			/node_modules\/(@n8n\/backend-network|axios|follow-redirects|form-data|proxy-from-env)\//.test(
				url,
			),
	],
	[
		"n8n's engine and expressions (n8n-core, n8n-workflow and their libraries)",
		(url) =>
			/node_modules\/(n8n-core|n8n-workflow|@n8n\/|lodash|luxon|jmespath|esprima|@n8n_io|recast|ast-types|js-base64|xml2js)/.test(
				url,
			),
	],
	["Node's http, net, streams and timers", (url) => url.startsWith('node:')],
	['benchmark harness and simulators (test/)', (url) => /\/test\//.test(url)],
	[
		'V8 itself (compiling, runtime, not in any script)',
		(url, fn) => url === '' || fn === '(program)',
	],
];

export async function profileCpu<T>(
	work: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile }> {
	const session = new Session();
	session.connect();
	try {
		await session.post('Profiler.enable');
		await session.post('Profiler.setSamplingInterval', { interval: 200 });
		await session.post('Profiler.start');
		const result = await work();
		const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
		return { result, profile };
	} finally {
		session.disconnect();
	}
}

/** Self time in ms per category, largest first, and the busiest functions of this package. */
export function whereTimeGoes(profile: CpuProfile): {
	byCategory: Array<{ category: string; ms: number }>;
	packageTop: Array<{ fn: string; ms: number }>;
	totalMs: number;
} {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parentOf = new Map<number, number>();
	for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
	// A built-in without a script (JSON.parse, a RegExp, a Promise step) counts for the code that called it.
	const owner = (id: number): ProfileNode['callFrame'] => {
		const frame = byId.get(id)?.callFrame ?? { functionName: '', url: '' };
		if (frame.url || frame.functionName.startsWith('(')) return frame;
		const parent = parentOf.get(id);
		return parent === undefined ? frame : owner(parent);
	};
	const byCategory = new Map<string, number>();
	const packageFns = new Map<string, number>();
	let totalMs = 0;
	profile.samples.forEach((id, i) => {
		const ms = (profile.timeDeltas[i] ?? 0) / 1000;
		const frame = owner(id);
		const category =
			CATEGORIES.find(([, matches]) => matches(frame.url, frame.functionName))?.[0] ??
			'other libraries';
		byCategory.set(category, (byCategory.get(category) ?? 0) + ms);
		if (category === CATEGORIES[2][0]) {
			const where = `${frame.functionName || '(anonymous)'} ${frame.url.split('/dist/')[1] ?? ''}`;
			packageFns.set(where, (packageFns.get(where) ?? 0) + ms);
		}
		totalMs += ms;
	});
	const sorted = <K>(m: Map<K, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
	return {
		byCategory: sorted(byCategory).map(([category, ms]) => ({ category, ms })),
		packageTop: sorted(packageFns)
			.slice(0, 5)
			.map(([fn, ms]) => ({ fn, ms })),
		totalMs,
	};
}

/** Prints the category table, shares of the busy (non-idle) time, and the package's busiest functions. */
export function printWhereTimeGoes(title: string, profile: CpuProfile): void {
	const { byCategory, packageTop, totalMs } = whereTimeGoes(profile);
	const idle = byCategory.find((c) => c.category.startsWith('idle'))?.ms ?? 0;
	const busy = totalMs - idle;
	printTable(
		title,
		['owner of the code', 'self ms', 'share of busy time'],
		byCategory.map(({ category, ms }) => [
			category,
			ms.toFixed(0),
			category.startsWith('idle') ? '-' : `${((ms / busy) * 100).toFixed(1)} %`,
		]),
	);
	if (packageTop.length) {
		process.stdout.write(
			`busiest functions of this package: ${packageTop.map((f) => `${f.fn.trim()} ${f.ms.toFixed(1)} ms`).join('; ')}\n`,
		);
	}
}
