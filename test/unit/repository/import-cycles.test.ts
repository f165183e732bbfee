/**
 * No import cycles in the package code: each folder's files import downwards (node file → actions →
 * formatting, aggregation, sources → nodes/shared), so any file can be read, tested and moved with what it
 * imports and nothing that imports it. A cycle (two files importing from each other, even for types only)
 * is listed as the chain of files that closes it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const IMPORT =
	/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

function resolveImport(from: string, specifier: string): string | undefined {
	const base = resolve(dirname(from), specifier);
	return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

export function importGraph(files: string[]): Map<string, string[]> {
	const graph = new Map<string, string[]>();
	for (const file of files) {
		const text = readFileSync(file, 'utf8');
		const targets = [...text.matchAll(IMPORT)]
			.map((match) => resolveImport(file, match[1] ?? match[2]))
			.filter((target): target is string => target !== undefined);
		graph.set(file, [...new Set(targets)]);
	}
	return graph;
}

/** Every cycle found by a depth-first walk, each as the chain of files that closes it. */
export function findCycles(graph: Map<string, string[]>): string[][] {
	const cycles: string[][] = [];
	const done = new Set<string>();
	const onPath: string[] = [];
	const visit = (file: string) => {
		const at = onPath.indexOf(file);
		if (at >= 0) {
			cycles.push([...onPath.slice(at), file]);
			return;
		}
		if (done.has(file)) return;
		onPath.push(file);
		for (const next of graph.get(file) ?? []) visit(next);
		onPath.pop();
		done.add(file);
	};
	for (const file of graph.keys()) visit(file);
	return cycles;
}

describe('imports in nodes/ and credentials/', () => {
	it('form no cycle', () => {
		const files = [...sourceFiles(join(ROOT, 'nodes')), ...sourceFiles(join(ROOT, 'credentials'))];
		const cycles = findCycles(importGraph(files)).map((chain) =>
			chain.map((file) => relative(ROOT, file)).join(' → '),
		);
		expect(cycles).toEqual([]);
	});

	it('finds a cycle of two files and one of three', () => {
		const graph = new Map([
			['a', ['b']],
			['b', ['a']],
			['c', ['d']],
			['d', ['e']],
			['e', ['c', 'a']],
		]);
		expect(findCycles(graph)).toEqual([
			['a', 'b', 'a'],
			['c', 'd', 'e', 'c'],
		]);
	});
});
