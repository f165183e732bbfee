/**
 * What ships is what runs: the tarball `npm pack` would publish (read from `npm pack --dry-run --json`, after
 * `npm run build`) holds the files n8n loads from the package.json `n8n` section, what those files require,
 * their codex and icons, package.json and the README, and nothing else: no source maps, no declarations, no
 * `main` pointing at a missing file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface PackageJson {
	main?: string;
	files?: string[];
	n8n: { strict?: boolean; nodes: string[]; credentials: string[] };
}

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

function packedFiles(): string[] {
	if (!existsSync(path.join(ROOT, pkg.n8n.nodes[0])))
		throw new Error('Run `npm run build` first: the tarball is packed from dist/');
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const [result] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
	return result.files.map((f) => f.path).sort();
}

/** Every file n8n reaches from the `n8n` entries: relative requires, the codex beside a node, its icons. */
function loadedByN8n(): Set<string> {
	const seen = new Set<string>();
	const visit = (file: string) => {
		if (seen.has(file)) return;
		seen.add(file);
		if (!file.endsWith('.js')) return;
		const text = readFileSync(path.join(ROOT, file), 'utf8');
		const dir = path.posix.dirname(file);
		for (const match of text.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
			const target = path.posix.normalize(path.posix.join(dir, match[1]));
			visit(existsSync(path.join(ROOT, `${target}.js`)) ? `${target}.js` : `${target}/index.js`);
		}
		for (const match of text.matchAll(/['"]file:([^'"]+)['"]/g))
			seen.add(path.posix.normalize(path.posix.join(dir, match[1])));
		if (file.endsWith('.node.js')) {
			const codex = file.replace(/\.js$/, '.json');
			if (existsSync(path.join(ROOT, codex))) seen.add(codex);
		}
	};
	for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) visit(entry);
	return seen;
}

describe('the published tarball', () => {
	const files = packedFiles();

	it('carries no source maps and no declaration files', () => {
		expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.d.ts'))).toEqual([]);
	});

	it('has every file the n8n section lists, and no `main` that points elsewhere', () => {
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(entry);
		if (pkg.main !== undefined) expect(files).toContain(pkg.main);
	});

	it('holds exactly what n8n loads, plus package.json and the README', () => {
		const expected = [...loadedByN8n(), 'package.json', 'README.md'].sort();
		expect(files).toEqual(expected);
	});

	it('does not claim n8n-node strict mode while linting with its own configuration', () => {
		// `strict: true` makes n8n's node CLI refuse any eslint config but its default; this repository's config
		// (eslint.config.mjs) applies the scanner's rule sets itself, so the flag would be false.
		expect(pkg.n8n.strict).not.toBe(true);
	});
});
