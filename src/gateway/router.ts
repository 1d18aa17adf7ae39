// Path routing with API Gateway's precedence: a static segment beats a {param}, which beats a
// greedy {proxy+}; an explicit method beats ANY. Whole static paths are one Map lookup; paths with
// parameters walk a segment trie, backtracking when a more specific branch leads nowhere.

export type RouteTarget = { method: string; paramNames: string[] };

type Node<R> = {
  statics: Map<string, Node<R>> | null;
  param: Node<R> | null;
  greedy: Map<string, R> | null;      // method -> route whose last segment is {name+}
  routes: Map<string, R> | null;      // method -> route ending at this node
};

export type RouteMatch<R> = { route: R; params: Record<string, string> | null };

function newNode<R>(): Node<R> { return { statics: null, param: null, greedy: null, routes: null }; }

/** Splits a route template into segments: '/users/{id}' -> ['users', '{id}']; '/' -> []. */
export function templateSegments(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

export class Router<R extends RouteTarget> {
  #exact = new Map<string, Map<string, R>>();
  #root: Node<R> = newNode();
  #size = 0;

  get size(): number { return this.#size; }

  /** Adds a route; returns false when the same method and path template is already taken. */
  add(path: string, route: R): boolean {
    const segs = templateSegments(path);
    const hasParam = segs.some((s) => s.startsWith('{'));
    let table: Map<string, R>;
    if (!hasParam) {
      const key = '/' + segs.join('/');
      table = this.#exact.get(key) ?? new Map();
      this.#exact.set(key, table);
    } else {
      let node = this.#root;
      for (let i = 0; i < segs.length; i++) {
        const seg = segs[i]!;
        if (seg.startsWith('{') && seg.endsWith('+}') && i === segs.length - 1) {
          node.greedy ??= new Map();
          table = node.greedy;
          break;
        }
        if (seg.startsWith('{')) node = node.param ??= newNode();
        else {
          node.statics ??= new Map();
          let next = node.statics.get(seg);
          if (!next) { next = newNode(); node.statics.set(seg, next); }
          node = next;
        }
      }
      table ??= node.routes ??= new Map();
    }
    if (table!.has(route.method)) return false;
    table!.set(route.method, route);
    this.#size++;
    return true;
  }

  /** Matches a request path for a method. `path` is '/' + segments[from..] joined; `segments` are decoded. */
  match(method: string, path: string, segments: string[], from = 0, valueSegments = segments): RouteMatch<R> | undefined {
    const exact = this.#exact.get(path);
    if (exact) {
      const route = exact.get(method) ?? exact.get('ANY');
      if (route) return { route, params: null };
    }
    const values: string[] = [];
    const route = walk(this.#root, segments, from, method, values, valueSegments);
    if (!route) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < route.paramNames.length; i++) params[route.paramNames[i]!] = values[i]!;
    return { route, params };
  }

  /** True when some route (any method) has this exact path; used for CORS and 403-vs-404 choices. */
  hasPath(path: string, segments: string[], from = 0): boolean {
    if (this.#exact.has(path)) return true;
    return walk(this.#root, segments, from, null, [], segments) !== undefined;
  }
}

function pick<R>(table: Map<string, R> | null, method: string | null): R | undefined {
  if (!table) return undefined;
  if (method === null) return table.values().next().value;
  return table.get(method) ?? table.get('ANY');
}

// `segs` (decoded) decide the route; `vals` (same length, possibly still percent-encoded) give parameter values.
function walk<R>(node: Node<R>, segs: string[], i: number, method: string | null, values: string[], vals: string[]): R | undefined {
  if (i === segs.length) return pick(node.routes, method);
  const child = node.statics?.get(segs[i]!);
  if (child) {
    const r = walk(child, segs, i + 1, method, values, vals);
    if (r) return r;
  }
  if (node.param) {
    values.push(vals[i]!);
    const r = walk(node.param, segs, i + 1, method, values, vals);
    if (r) return r;
    values.pop();
  }
  const greedy = pick(node.greedy, method);
  if (greedy) {
    values.push(i === segs.length - 1 ? vals[i]! : vals.slice(i).join('/'));
    return greedy;
  }
  return undefined;
}
