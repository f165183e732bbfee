/**
 * The repository stands alone: whoever clones it must find everything a file refers to inside it. This
 * scans every tracked text file (comments included) for what only made sense on the machine or in the
 * tracker it was written with:
 * - absolute machine paths (a home, a work or a temp folder);
 * - Markdown documents that are not in the repository, and design notes kept beside a checkout
 *   ("DESIGN", "decision 5");
 * - tracker references ("issue 3", "§7"); an upstream project's issue is written
 *   owner/repo#N, which names where it lives.
 * A failure lists file and line; replace the reference with the fact itself, in the project's words.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SELF = relative(ROOT, __filename);
const SKIPPED = /(^|\/)(package-lock\.json|.*\.(png|jpg|jpeg|gif|ico|svg|woff2?))$/;
const UNTRACKED_DIRS = new Set([
	'node_modules',
	'dist',
	'coverage',
	'.git',
	'.n8n-local',
	'.usage-pkg',
	'.work',
]);

const RULES: Array<{ pattern: RegExp; why: string }> = [
	// `/home/node/.n8n` is a path inside the official n8n image (its user folder), not one of a machine.
	{
		pattern: /(?<![\w.~-])\/(work|root|home(?!\/node\/\.n8n\b)|Users|tmp)\/[\w.-]/,
		why: 'absolute machine path',
	},
	{ pattern: /[A-Za-z]:\\\\?(Users|work)\\/, why: 'absolute machine path' },
	{
		pattern: /\b(issue|ticket)s?\s*#?\d+/i,
		why: 'tracker reference (write an upstream issue as owner/repo#N)',
	},
	{ pattern: /§/, why: 'section of a document outside the repository' },
	{ pattern: /\bDESIGN\b|\bdecision \d+/, why: 'design note outside the repository' },
];

/** `x.md`, `docs/x.md`, `../x.md` as they appear in prose, comments and links. */
const MARKDOWN_REFERENCE = /(?<![\w/.-])((?:\.{1,2}\/)*[\w-][\w.-]*(?:\/[\w.-]+)*\.md)\b/g;

function trackedFiles(): string[] {
	try {
		return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
			.split('\0')
			.filter(Boolean);
	} catch {
		// Not a git checkout (an unpacked archive): every file outside the build and install folders.
		const walk = (dir: string): string[] =>
			readdirSync(join(ROOT, dir)).flatMap((name) => {
				const path = dir ? `${dir}/${name}` : name;
				if (UNTRACKED_DIRS.has(name)) return [];
				return statSync(join(ROOT, path)).isDirectory() ? walk(path) : [path];
			});
		return walk('');
	}
}

/** A tracked path may be deleted in the working tree, or be a link to a folder. */
function isFile(path: string): boolean {
	return existsSync(path) && statSync(path).isFile();
}

/** True when the reference, read from the file's folder or from the root, is a file of the repository. */
function documentExists(reference: string, file: string): boolean {
	return [join(ROOT, dirname(file), reference), join(ROOT, reference)].some((path) => {
		const inRepo = relative(ROOT, path);
		if (inRepo.startsWith('..')) return false;
		return existsSync(path);
	});
}

export function findOutsideReferences(file: string, text: string): string[] {
	const found: string[] = [];
	text.split('\n').forEach((line, index) => {
		const where = `${file}:${index + 1}`;
		for (const { pattern, why } of RULES) {
			const match = pattern.exec(line);
			if (match) found.push(`${where}: ${why}: "${match[0]}"`);
		}
		for (const match of line.matchAll(MARKDOWN_REFERENCE)) {
			if (!documentExists(match[1], file))
				found.push(`${where}: document not in the repository: "${match[1]}"`);
		}
	});
	return found;
}

describe('the repository refers to nothing outside it', () => {
	it('no tracked file names a machine path, an outside document or a tracker entry', () => {
		const found = trackedFiles()
			.filter((file) => file !== SELF && !SKIPPED.test(file) && isFile(join(ROOT, file)))
			.flatMap((file) => findOutsideReferences(file, readFileSync(join(ROOT, file), 'utf8')));
		expect(found).toEqual([]);
	});

	it('recognises each kind of outside reference, and leaves in-repository ones alone', () => {
		const sample = [
			'see ../shared/n8n.md for the recipe',
			' * (see /work/shared/n8n.md)',
			'cache in /root/.cache/x',
			'LiteLLM Chat benchmarks (issue 2, section 7)',
			'the invariants of issue #3',
			'reliability rules, section §1',
			'see DESIGN.md',
			'retries would multiply calls (design decision 5)',
		].join('\n');
		const found = findOutsideReferences('nodes/x.ts', sample);
		expect(found.map((hit) => hit.split(':')[1])).toEqual([
			'1',
			'2',
			'3',
			'4',
			'5',
			'6',
			'7',
			'7',
			'8',
		]);
		expect(found[0]).toBe('nodes/x.ts:1: document not in the repository: "../shared/n8n.md"');
		const clean = [
			"import { settle } from '../shared/settle';",
			'see README.md and test/e2e/README.md',
			'fixed in BerriAI/litellm#19985',
			'volumes: litellm-db:/var/lib/postgresql/data',
			'default cache ~/.cache/n8n-nodes-litellm',
			'Fixture refused item 0',
		].join('\n');
		expect(findOutsideReferences('nodes/x.ts', clean)).toEqual([]);
	});
});
