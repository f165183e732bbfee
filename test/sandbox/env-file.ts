/**
 * A tiny `.env` reader (no dotenv dependency): `NAME=value` lines, `#` comments, optional `export `, single or
 * double quotes (double quotes understand \n, \" and \\). Values already in the environment win, as with
 * dotenv, so `LITELLM_BASE_URL=... npm start` overrides the file.
 */
import { existsSync, readFileSync } from 'node:fs';

export function parseEnv(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const rawLine of text.split(/\r?\n/)) {
		const line = rawLine.trim();
		if (!line || line.startsWith('#')) continue;
		const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
		if (!m) continue;
		const [, name, rest] = m;
		let value = rest;
		if (value.startsWith('"')) {
			const end = value.lastIndexOf('"');
			value = (end > 0 ? value.slice(1, end) : value.slice(1)).replace(
				/\\(n|"|\\)/g,
				(_, c: string) => (c === 'n' ? '\n' : c),
			);
		} else if (value.startsWith("'")) {
			const end = value.lastIndexOf("'");
			value = end > 0 ? value.slice(1, end) : value.slice(1);
		} else {
			// Unquoted: an inline comment starts at " #".
			value = value.replace(/\s+#.*$/, '').trim();
		}
		out[name] = value;
	}
	return out;
}

/** Loads `file` into `target` for names not set there yet; returns the names it set. */
export function loadEnvFile(file: string, target: NodeJS.ProcessEnv = process.env): string[] {
	if (!existsSync(file)) return [];
	const loaded: string[] = [];
	for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
		if (target[name] !== undefined && target[name] !== '') continue;
		target[name] = value;
		loaded.push(name);
	}
	return loaded;
}
