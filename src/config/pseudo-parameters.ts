// The serverless-pseudo-parameters plugin, which older services list: `#{AWS::AccountId}` or
// `#{MyQueue.Arn}` inside any string turns that string into an Fn::Sub. Gannet does the same, so
// such values resolve like any other intrinsic.

const PLUGIN = 'serverless-pseudo-parameters';
const PLACEHOLDER = /#\{([^}]+)\}/g;

export function usesPseudoParameters(config: Record<string, unknown>): boolean {
  const plugins = config.plugins;
  const list = Array.isArray(plugins) ? plugins
    : plugins !== null && typeof plugins === 'object' ? (plugins as { modules?: unknown }).modules : undefined;
  return Array.isArray(list) && list.includes(PLUGIN);
}

/** Rewrites, in place, every string holding `#{...}` into `{'Fn::Sub': '...${...}...'}`. */
export function applyPseudoParameters(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!value.includes('#{')) return value;
    const sub = value.replace(PLACEHOLDER, (_m, name: string) => `\${${name}}`);
    return sub === value ? value : { 'Fn::Sub': sub };
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => { value[i] = applyPseudoParameters(v); });
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) obj[k] = applyPseudoParameters(v);
  }
  return value;
}
