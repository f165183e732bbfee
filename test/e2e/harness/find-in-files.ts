/** Byte search through every file below a folder: the privacy checks look for secrets in n8n's storage. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface FileHit {
	/** Path relative to the searched folder. */
	file: string;
	/** Which of the needles was found (the needle itself, for the test's message). */
	needle: string;
}

/** Every file below `root` (symbolic links are not followed) that contains one of `needles`, as bytes. */
export async function findInFiles(root: string, needles: string[]): Promise<FileHit[]> {
	const hits: FileHit[] = [];
	const patterns = needles.map((n) => ({ needle: n, bytes: Buffer.from(n, 'utf8') }));
	for (const file of await listFiles(root)) {
		let content: Buffer;
		try {
			content = await readFile(file);
		} catch {
			continue; // removed while we walked (n8n prunes files)
		}
		for (const { needle, bytes } of patterns) {
			if (content.includes(bytes)) hits.push({ file: relative(root, file), needle });
		}
	}
	return hits;
}

async function listFiles(dir: string): Promise<string[]> {
	let entries;
	try {
		entries = await readdir(dir, { withFileTypes: true });
	} catch {
		return [];
	}
	const files: string[] = [];
	for (const entry of entries) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) files.push(...(await listFiles(path)));
		else if (entry.isFile()) files.push(path);
	}
	return files;
}
