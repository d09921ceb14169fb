/**
 * The engine's version: the project's version in package.json, written here because `engine/` is
 * pure and reads no files at run time (a test keeps the two equal). Every decision records it, so
 * that a replay can tell a change of engine from a change of rules.
 */
export const ENGINE_VERSION = '0.1.0';
