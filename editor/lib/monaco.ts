/**
 * Monaco set-up in one place: workers, the rule set JSON Schema (generated from the engine's zod
 * schemas) for completion, hover help and inline errors, and markers for the server's problems.
 */
// the full editor (all contributions): the bare editor.api lacks services that the JSON
// language features and the diff editor ask for, which Chromium reports as console errors
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { api, read, type Issue } from './api.js';
import { locate } from './json-path.js';

let ready = false;
function setup() {
  if (ready) return;
  ready = true;
  (self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
    getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
  };
  // the schemas come from the API, which generates them from the engine's zod schemas; the JSON
  // view edits drafts, which may leave out version and validFrom (publishing sets them)
  const schema = (name: string) => read(api.api.schemas[':name'].$get({ param: { name } }));
  void Promise.all([schema('ruleset-draft.schema.json'), schema('case.schema.json')]).then(([ruleSet, c]) =>
    monaco.json.jsonDefaults.setDiagnosticsOptions({
      validate: true,
      enableSchemaRequest: false,
      schemas: [
        { uri: 'https://jeugdzorg-regels.nl/schemas/ruleset.json', fileMatch: ['*.ruleset.json'], schema: ruleSet },
        { uri: 'https://jeugdzorg-regels.nl/schemas/case.json', fileMatch: ['*.case.json'], schema: c },
      ],
    }),
  );
}

let counter = 0;
/** A JSON editor whose model is validated against the rule set or case schema. */
export function createJsonEditor(
  el: HTMLElement,
  opts: {
    value: string;
    kind: 'ruleset' | 'case';
    onChange: (text: string) => void;
    ariaLabel: string;
    readOnly?: boolean;
  },
) {
  setup();
  const model = monaco.editor.createModel(
    opts.value,
    'json',
    monaco.Uri.parse(`inmemory://model/${++counter}.${opts.kind}.json`),
  );
  const editor = monaco.editor.create(el, {
    model,
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    ariaLabel: opts.ariaLabel,
    tabSize: 2,
    readOnly: opts.readOnly ?? false,
  });
  const sub = model.onDidChangeContent(() => opts.onChange(model.getValue()));
  // lets end-to-end tests read what Monaco shows, rather than what the store holds
  Object.defineProperty(el, 'monacoValue', { get: () => model.getValue(), configurable: true });
  return {
    editor,
    /** Replaces the text when it changed elsewhere (the form), keeping the cursor where it can. */
    setValue(text: string) {
      if (model.getValue() !== text)
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
    },
    /** Shows the server's validation problems at their JSON paths. */
    setProblems(issues: Issue[]) {
      const text = model.getValue();
      monaco.editor.setModelMarkers(
        model,
        'server',
        issues.map((issue) => {
          const { offset, length } = locate(text, issue.path);
          const start = model.getPositionAt(offset);
          const end = model.getPositionAt(offset + length);
          return {
            severity: monaco.MarkerSeverity.Error,
            message: `${issue.message} (${issue.path})`,
            startLineNumber: start.lineNumber,
            startColumn: start.column,
            endLineNumber: end.lineNumber,
            endColumn: end.column,
          };
        }),
      );
    },
    dispose() {
      sub.dispose();
      editor.dispose();
      model.dispose();
    },
  };
}

export function createDiffEditor(el: HTMLElement, original: string, modified: string) {
  setup();
  const a = monaco.editor.createModel(original, 'json');
  const b = monaco.editor.createModel(modified, 'json');
  const editor = monaco.editor.createDiffEditor(el, {
    automaticLayout: true,
    readOnly: true,
    renderSideBySide: true,
    minimap: { enabled: false },
  });
  editor.setModel({ original: a, modified: b });
  return {
    dispose() {
      // detach the models first: a diff still being computed then finds nothing to update,
      // rather than a disposed context key service (a console error in Chromium)
      editor.setModel(null);
      editor.dispose();
      a.dispose();
      b.dispose();
    },
  };
}
