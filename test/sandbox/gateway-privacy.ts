/**
 * The n8n settings that keep the gateway's callers' bearer tokens and prompts out of n8n's storage (README,
 * gateway section). The gateway workflow's own settings (save nothing on success or error, no manual
 * executions, no progress) are not enough on their own: n8n 2.41.1 writes every execution's data, the webhook
 * request with its headers included, when the execution starts, and only deletes it when it ends.
 *
 * - `N8N_EXECUTION_DATA_STORAGE_MODE=filesystem`: that start-of-execution data goes to a JSON file under
 *   `.n8n/storage/` instead of a row in the database, so no bytes of it stay behind in SQLite's pages or
 *   write-ahead log after the delete.
 * - `EXECUTIONS_DATA_PRUNE_HARD_DELETE_INTERVAL=0.1` (minutes): an unsaved execution is only marked deleted
 *   when it ends (with pruning on, n8n's default); the pruning timer removes its file on its next round,
 *   every 15 minutes by default, every 6 seconds with this value. `EXECUTIONS_DATA_PRUNE=false` would remove
 *   the file at once, but also stop pruning every other workflow's executions, so it is not used.
 */
export const GATEWAY_PRIVACY_ENV: Readonly<Record<string, string>> = {
	N8N_EXECUTION_DATA_STORAGE_MODE: 'filesystem',
	EXECUTIONS_DATA_PRUNE_HARD_DELETE_INTERVAL: '0.1',
};
