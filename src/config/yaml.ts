// YAML (and JSON, a subset) into plain values, with CloudFormation short tags turned into their long
// forms (`!Ref X` → `{Ref: X}`) and the position of every key and value recorded in a SourceFile.

import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { ConfigWarning } from './types.ts';
import { codeFrame, ConfigError } from './errors.ts';
import { SourceFile, type KeyPath } from './source.ts';

/** Short tags whose long form is `{'Fn::<Name>': value}`. */
const FN_TAGS = new Set([
  'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'If', 'Equals', 'Not', 'And', 'Or', 'Transform', 'Length', 'ToJsonString',
]);

export type ParsedYaml = { value: unknown; source: SourceFile; warnings: ConfigWarning[] };

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const source = new SourceFile(file, text);
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    throw new ConfigError({
      file, line: pos.line, column: pos.col,
      reason: `YAML syntax error: ${cleanYamlMessage(err.message)}`,
      frame: codeFrame(text, { line: pos.line, column: pos.col }),
    });
  }
  const walker = new Walker(doc, lineCounter, source);
  const value = doc.contents ? walker.toValue(doc.contents as Node, []) : null;
  return { value, source, warnings: walker.warnings };
}

function cleanYamlMessage(msg: string): string {
  return msg.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

class Walker {
  readonly warnings: ConfigWarning[] = [];
  private readonly doc: Document;
  private readonly lines: LineCounter;
  private readonly source: SourceFile;

  constructor(doc: Document, lines: LineCounter, source: SourceFile) {
    this.doc = doc;
    this.lines = lines;
    this.source = source;
  }

  private pos(node: Node | null | undefined, fallback: number) {
    const offset = node?.range ? node.range[0] : fallback;
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  toValue(node: Node, path: KeyPath, depth = 0): unknown {
    if (depth > 200) throw this.source.error(path, { reason: 'YAML nesting too deep (recursive alias?)' });
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      return target ? this.toValue(target as Node, path, depth + 1) : null;
    }
    const plain = this.plainValue(node, path, depth);
    const tag = node.tag;
    if (!tag || !tag.startsWith('!') ) return plain;
    return this.applyTag(tag.slice(1), plain, path);
  }

  private plainValue(node: Node, path: KeyPath, depth: number): unknown {
    if (isScalar(node)) return node.value;
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        const itemPath = [...path, i];
        this.source.record(itemPath, { value: this.pos(item as Node, node.range?.[0] ?? 0) });
        return item == null ? null : this.toValue(item as Node, itemPath, depth + 1);
      });
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merged: Record<string, unknown>[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const valueNode = pair.value as Node | null;
        if (key === '<<' && (!isScalar(keyNode) || keyNode.type === 'PLAIN')) {
          // YAML merge key: explicit keys of this map win over merged ones, whatever their order.
          const v = valueNode == null ? null : this.toValue(valueNode, path, depth + 1);
          for (const m of Array.isArray(v) ? v : [v]) {
            if (m && typeof m === 'object' && !Array.isArray(m)) merged.push(m as Record<string, unknown>);
          }
          continue;
        }
        const childPath = [...path, key];
        const keyPos = this.pos(keyNode, node.range?.[0] ?? 0);
        this.source.record(childPath, { key: keyPos, value: valueNode?.range ? this.pos(valueNode, 0) : keyPos });
        out[key] = valueNode == null ? null : this.toValue(valueNode, childPath, depth + 1);
      }
      for (const m of merged) {
        for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
      }
      return out;
    }
    return null;
  }

  private applyTag(name: string, value: unknown, path: KeyPath): unknown {
    if (name === 'Ref') return { Ref: value };
    if (name === 'Condition') return { Condition: value };
    if (name === 'GetAtt') {
      if (typeof value === 'string') {
        const dot = value.indexOf('.');
        return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
      }
      return { 'Fn::GetAtt': value };
    }
    if (FN_TAGS.has(name)) return { [`Fn::${name}`]: value };
    this.warnings.push(this.source.warning(path, `unknown YAML tag !${name} ignored; its value is used as is`, 'value'));
    return value;
  }
}
