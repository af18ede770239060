/**
 * Azure Pipelines condition expressions (`succeeded()`, `and(succeededOrFailed(), eq('a', 'b'))`,
 * `ne(variables['Build.Reason'], 'PullRequest')`): the functions the generated pipelines and
 * common hand-written ones use. Comparisons are case-insensitive, as in Azure Pipelines.
 */
export interface ConditionContext {
  /** Whether every dependency (or step so far) succeeded, and whether one failed. */
  readonly succeeded: boolean;
  readonly failed: boolean;
  readonly canceled: boolean;
  variable(name: string): string | undefined;
}

type Value = string | number | boolean;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*('(?:[^']|'')*'|[A-Za-z_][\w.]*|-?\d+(?:\.\d+)?|[(),[\]])/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    m = re.exec(text);
    if (!m) {
      if (/^\s*$/.test(text.slice(pos))) break;
      throw new Error(`Unexpected symbol at position ${pos + 1} in condition '${text}'.`);
    }
    tokens.push(m[1] as string);
    pos = re.lastIndex;
  }
  return tokens;
}

const truthy = (v: Value): boolean =>
  typeof v === "boolean" ? v : typeof v === "number" ? v !== 0 : v.length > 0 && v.toLowerCase() !== "false";
const same = (a: Value, b: Value): boolean => String(a).toLowerCase() === String(b).toLowerCase();

export function evaluateCondition(text: string, ctx: ConditionContext): boolean {
  const tokens = tokenize(text);
  let i = 0;
  const next = () => tokens[i++];
  const expect = (t: string) => {
    if (tokens[i] !== t) throw new Error(`Expected '${t}' in condition '${text}'.`);
    i++;
  };
  const expr = (): Value => {
    const t = next();
    if (t === undefined) throw new Error(`Unexpected end of condition '${text}'.`);
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^-?\d/.test(t)) return Number(t);
    if (/^true$/i.test(t)) return true;
    if (/^false$/i.test(t)) return false;
    if (t === "variables") {
      if (tokens[i] === "[") {
        i++;
        const name = expr();
        expect("]");
        return ctx.variable(String(name)) ?? "";
      }
      throw new Error(`Unexpected 'variables' in condition '${text}'.`);
    }
    if (t.toLowerCase().startsWith("variables.")) return ctx.variable(t.slice("variables.".length)) ?? "";
    expect("(");
    const args: Value[] = [];
    while (tokens[i] !== ")") {
      args.push(expr());
      if (tokens[i] === ",") i++;
      else if (tokens[i] !== ")") throw new Error(`Expected ',' or ')' in condition '${text}'.`);
    }
    i++;
    const a = (n: number) => args[n] ?? "";
    switch (t.toLowerCase()) {
      case "succeeded":
        return ctx.succeeded && !ctx.canceled;
      case "failed":
        return ctx.failed && !ctx.canceled;
      case "succeededorfailed":
        return !ctx.canceled;
      case "always":
        return true;
      case "canceled":
        return ctx.canceled;
      case "and":
        return args.every(truthy);
      case "or":
        return args.some(truthy);
      case "not":
        return !truthy(a(0));
      case "eq":
        return same(a(0), a(1));
      case "ne":
        return !same(a(0), a(1));
      case "in":
        return args.slice(1).some((x) => same(a(0), x));
      case "notin":
        return !args.slice(1).some((x) => same(a(0), x));
      case "startswith":
        return String(a(0))
          .toLowerCase()
          .startsWith(String(a(1)).toLowerCase());
      case "endswith":
        return String(a(0))
          .toLowerCase()
          .endsWith(String(a(1)).toLowerCase());
      case "contains":
        return String(a(0))
          .toLowerCase()
          .includes(String(a(1)).toLowerCase());
      default:
        throw new Error(`Unrecognized function '${t}' in condition '${text}'.`);
    }
  };
  const v = expr();
  if (i !== tokens.length) throw new Error(`Unexpected '${tokens[i]}' in condition '${text}'.`);
  return truthy(v);
}
