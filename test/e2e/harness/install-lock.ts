/**
 * A cross-process lock made of a directory: `mkdir` is atomic, so only one process creates it. The owner
 * writes its pid and start time inside; a waiter breaks the lock when that pid is gone (a crashed install)
 * or the lock is older than `staleMs`.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

interface LockOwner {
	pid: number;
	host: string;
	startedAt: number;
}

export interface LockOptions {
	/** Give up waiting after this long (default 30 min: a cold n8n install takes several minutes). */
	waitMs?: number;
	/** A lock older than this is taken to be abandoned (default 45 min). */
	staleMs?: number;
	pollMs?: number;
	/** Called once when the lock is busy, to tell the user why the run waits. */
	onWait?: (owner: LockOwner | undefined) => void;
}

export async function withDirLock<T>(
	lockDir: string,
	fn: () => Promise<T>,
	options: LockOptions = {},
): Promise<T> {
	const { waitMs = 30 * 60_000, staleMs = 45 * 60_000, pollMs = 2_000, onWait } = options;
	const deadline = Date.now() + waitMs;
	let told = false;
	for (;;) {
		try {
			await mkdir(lockDir);
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const owner = await readOwner(lockDir);
		if (isAbandoned(owner, staleMs) || (!owner && (await ageMs(lockDir)) > 60_000)) {
			await rm(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!told) {
			onWait?.(owner);
			told = true;
		}
		if (Date.now() > deadline)
			throw new Error(
				`lock ${lockDir} still held after ${waitMs} ms (owner ${JSON.stringify(owner)})`,
			);
		await new Promise((resolve) => setTimeout(resolve, pollMs));
	}
	const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: Date.now() };
	await writeFile(join(lockDir, 'owner.json'), JSON.stringify(me));
	try {
		return await fn();
	} finally {
		await rm(lockDir, { recursive: true, force: true });
	}
}

async function readOwner(lockDir: string): Promise<LockOwner | undefined> {
	try {
		return JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')) as LockOwner;
	} catch {
		return undefined; // being created right now, or written by a crashed process
	}
}

function isAbandoned(owner: LockOwner | undefined, staleMs: number): boolean {
	if (!owner) return false; // the creator writes owner.json right after mkdir (a crash in between: see ageMs)
	if (Date.now() - owner.startedAt > staleMs) return true;
	if (owner.host !== hostname()) return false;
	try {
		process.kill(owner.pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
}

async function ageMs(dir: string): Promise<number> {
	try {
		return Date.now() - (await stat(dir)).mtimeMs;
	} catch {
		return 0;
	}
}
