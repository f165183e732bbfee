/**
 * Captures what n8n would write to its log during a run, instead of printing it. n8n-core's ErrorReporter
 * logs every error a node throws (message, stack and each `cause` in the chain) when Sentry is off, which is
 * the default self-hosted setup; secrets must not reach those lines either, so tests scan them.
 * Works by giving n8n's root `Logger` (which `LoggerProxy` also uses) a recording winston stand-in.
 * `@n8n/backend-common` and `@n8n/di` are n8n-core's own dependencies, not ours.
 */
import 'reflect-metadata';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

export interface LogEntry {
	level: string;
	message: string;
	meta: Record<string, unknown>;
}

let sink: LogEntry[] = [];
let installed = false;

/** Starts a fresh capture; entries land in the returned array until the next call. */
export function captureLogs(): LogEntry[] {
	if (!installed) {
		const recorder = {
			log: (level: string, message: string, meta: Record<string, unknown> = {}) => {
				sink.push({ level, message, meta });
			},
			// Scoped loggers made later (`logger.scoped(...)`) wrap a child of this: record them too.
			child: () => recorder,
		};
		const root = Container.get(Logger) as unknown as { setInternalLogger(logger: unknown): void };
		root.setInternalLogger(recorder);
		installed = true;
	}
	sink = [];
	return sink;
}
