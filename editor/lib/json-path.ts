/**
 * Where a JSON path from a problem document (`$.parameters['crisis.maxDays'].value`,
 * `$.rules[2].conditions`) lies in a JSON text, so the server's issues can be shown as markers
 * at the right place.
 */
import { findNodeAtLocation, parseTree, type Segment } from 'jsonc-parser';

export function pathSegments(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /\.([A-Za-z_$][\w$]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path.replace(/^\$/, ''))) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(m[2]);
    else out.push(Number(m[3]));
  }
  return out;
}

/** The offset and length of the value at `path`, or of its nearest existing ancestor. */
export function locate(text: string, path: string): { offset: number; length: number } {
  const root = parseTree(text);
  if (!root) return { offset: 0, length: 0 };
  const segments = pathSegments(path);
  for (let n = segments.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, segments.slice(0, n));
    if (node) {
      // point at the property name when there is one: that is what a person looks for
      const target = node.parent?.type === 'property' ? node.parent : node;
      return { offset: target.offset, length: Math.min(target.length, 200) };
    }
  }
  return { offset: 0, length: 0 };
}
