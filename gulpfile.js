const { src, dest } = require('gulp');

// tsc emits only JavaScript: node and credential icons are copied beside the compiled files.
function buildIcons() {
	const nodeIcons = src('nodes/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/nodes'));
	return nodeIcons.on('end', () => src('credentials/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/credentials')));
}

exports['build:icons'] = buildIcons;
