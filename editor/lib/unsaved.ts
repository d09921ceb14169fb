/**
 * Unsaved edits are never lost without a word: a page with edits registers a check while it is
 * shown; leaving the editor (closing the tab, reloading) asks through `beforeunload`, and moving
 * to another page of the editor asks with a Dutch confirm dialog before the router follows.
 */
import { onCleanup } from 'solid-js';
import { t } from './i18n.js';

const checks = new Set<() => boolean>();

/** Registers "this page has unsaved edits" for as long as the calling component lives. */
export function guardUnsaved(dirty: () => boolean) {
  checks.add(dirty);
  onCleanup(() => checks.delete(dirty));
}

export function hasUnsavedChanges(): boolean {
  for (const dirty of checks) if (dirty()) return true;
  return false;
}

/** Whether the person agrees to leave the page (always, when nothing is unsaved). */
export function confirmLeave(): boolean {
  return !hasUnsavedChanges() || window.confirm(t('guard.leave'));
}

if (typeof window !== 'undefined')
  window.addEventListener('beforeunload', (e) => {
    if (!hasUnsavedChanges()) return;
    e.preventDefault();
    // older browsers show the dialog only when returnValue is set
    e.returnValue = '';
  });
