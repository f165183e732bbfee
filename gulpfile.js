const { readdirSync, readFileSync, unlinkSync } = require('fs');
const { join } = require('path');
const { src, dest, series } = require('gulp');

// tsc emits only JavaScript: node and credential icons are copied beside the compiled files.
function buildIcons() {
	const nodeIcons = src('nodes/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/nodes'));
	return nodeIcons.on('end', () =>
		src('credentials/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/credentials')),
	);
}

// A source file that holds only types compiles to an empty module that nothing requires: it does not ship.
const EMPTY_MODULE =
	'"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });';

function pruneTypeOnlyModules(done) {
	const walk = (dir) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const file = join(dir, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (entry.name.endsWith('.js') && readFileSync(file, 'utf8').trim() === EMPTY_MODULE)
				unlinkSync(file);
		}
	};
	walk('dist');
	done();
}

exports['build:icons'] = buildIcons;
exports.build = series(pruneTypeOnlyModules, buildIcons);
