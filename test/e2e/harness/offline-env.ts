/**
 * Every call home of n8n 2.41.1 that its settings can switch off, in one list: `npm start` (the sandbox,
 * which promises that nothing leaves the machine) and every e2e instance run with it.
 *
 * Each name is a setting of n8n 2.41.1 (`@n8n/config`, or the community-packages module's config), checked
 * against the installed runtime's sources; the default each one replaces is noted.
 */
export const N8N_OFFLINE_ENV: Readonly<Record<string, string>> = {
	// Telemetry to PostHog and RudderStack (default on, ph.n8n.io and telemetry.n8n.io).
	N8N_DIAGNOSTICS_ENABLED: 'false',
	// The keys and hosts the editor and the backend would send telemetry with (default: n8n's own).
	N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
	N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
	// "New version available" and "What's new" (default on, api.n8n.io/api/versions and /whats-new).
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	// Workflow templates in the editor (default on, api.n8n.io/api/).
	N8N_TEMPLATES_ENABLED: 'false',
	// Banners fetched from api.n8n.io/api/banners, and the hiring banner (default on).
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	// The "about you" survey the owner is asked, sent with telemetry (default on).
	N8N_PERSONALIZATION_ENABLED: 'false',
	// License renewal against license.n8n.io (default on; the community edition has no license to renew).
	N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
	// Scripts the editor would load from other hosts (default none; cleared so a shell's value cannot add one).
	EXTERNAL_FRONTEND_HOOKS_URLS: '',
	// The editor's list of verified community nodes, fetched from n8n's API (default on). This package is
	// installed from its tarball, so nothing here needs the list.
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
};
